// Exact and forgiving text matching: does a quote occur in a document verbatim, after normalising case, accents,
// whitespace, quote/dash styles and markdown emphasis, or only approximately? Positions always refer to the
// original text, so a caller can copy the exact span back out of it.

/** A normalised string and, for each of its UTF-16 units, the span of the original text it came from. */
interface MappedText {
  text: string;
  from: number[];
  to: number[];
}

/** A word of a text (normalised) and where it sits in the original text. */
export interface WordSpan {
  word: string;
  start: number;
  end: number;
}

const SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2039\u203a";
const DOUBLE_QUOTES = '\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb';
const DASHES = '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d';
/** Invisible characters dropped outright: zero-width space/joiners, word joiner, BOM, soft hyphen. */
const INVISIBLE = '\u200b\u200c\u200d\u2060\ufeff\u00ad';
/** Markdown emphasis and code marks: `**bold**`, `_em_`, `` `code` ``, `~~strike~~`. */
const EMPHASIS = '*_`~';

const ASCII_MAP: string[] = Array.from({ length: 128 }, (_, code) => {
  const ch = String.fromCharCode(code);
  if (/\s/.test(ch)) return ' ';
  if (EMPHASIS.includes(ch)) return '';
  return ch.toLowerCase();
});
const cache = new Map<string, string>();

/** The normalised form of one code point: '' (dropped), ' ' (whitespace) or one or more characters. */
function mapChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 128) return ASCII_MAP[code];
  let mapped = cache.get(ch);
  if (mapped !== undefined) return mapped;
  if (INVISIBLE.includes(ch)) mapped = '';
  else if (SINGLE_QUOTES.includes(ch)) mapped = "'";
  else if (DOUBLE_QUOTES.includes(ch)) mapped = '"';
  else if (DASHES.includes(ch)) mapped = '-';
  else if (/\s/u.test(ch)) mapped = ' ';
  else {
    mapped = ch.normalize('NFKD').toUpperCase().toLowerCase().replace(/\p{M}+/gu, '');
    if (mapped.trim() === '' && mapped !== '') mapped = ' ';
  }
  cache.set(ch, mapped);
  return mapped;
}

function mapText(text: string): MappedText {
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let spaceFrom = -1;
  let spaceTo = -1;
  for (let i = 0; i < text.length; ) {
    const len = text.codePointAt(i)! > 0xffff ? 2 : 1;
    const mapped = mapChar(len === 1 ? text[i] : text.slice(i, i + 2));
    if (mapped === ' ') {
      if (spaceFrom < 0) spaceFrom = i;
      spaceTo = i + len;
    } else if (mapped !== '') {
      if (spaceFrom >= 0 && out.length > 0) {
        out.push(' ');
        from.push(spaceFrom);
        to.push(spaceTo);
      }
      spaceFrom = -1;
      for (let k = 0; k < mapped.length; k++) {
        out.push(mapped[k]);
        from.push(i);
        to.push(i + len);
      }
    }
    i += len;
  }
  return { text: out.join(''), from, to };
}

/**
 * The form two texts are compared in: case-folded (ß = ss) without accents (NFKD), whitespace runs collapsed to one
 * space and trimmed, curly quotes and dashes made ASCII, invisible characters and markdown emphasis marks (`*_\`~`)
 * removed.
 * Punctuation is otherwise kept, so "14 days." still differs from "14 days,".
 */
export function normaliseForMatch(text: string): string {
  return mapText(text).text;
}

/** Index of the first exact occurrence of `needle` in `haystack`, or -1; an empty needle never matches. */
export function findVerbatim(haystack: string, needle: string): number {
  return needle === '' ? -1 : haystack.indexOf(needle);
}

/**
 * The first occurrence of `needle` in `haystack` after both are normalised ({@link normaliseForMatch}), as a span
 * [start, end) of the ORIGINAL haystack: `haystack.slice(start, end)` is the matched text as written there.
 * Null when the needle is blank or absent.
 */
export function findNormalised(haystack: string, needle: string): { start: number; end: number } | null {
  const wanted = normaliseForMatch(needle);
  if (wanted === '') return null;
  const mapped = mapText(haystack);
  const at = mapped.text.indexOf(wanted);
  if (at < 0) return null;
  return { start: mapped.from[at], end: mapped.to[at + wanted.length - 1] };
}

/** The words (letters and digits, normalised) of `text` with their spans in the original text. */
export function wordSpans(text: string): WordSpan[] {
  const mapped = mapText(text);
  const out: WordSpan[] = [];
  for (const match of mapped.text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const at = match.index;
    out.push({ word: match[0], start: mapped.from[at], end: mapped.to[at + match[0].length - 1] });
  }
  return out;
}

const GAP = 0.7;
const MISMATCH = 0.7;

/**
 * How much of `a` one stretch of `b` reproduces, from 0 (nothing) to 1 (every word of `a`, in order). Words are
 * normalised; the stretch is the best local alignment of the two word sequences (a match scores 1, a changed,
 * missing or extra word costs 0.7), so a paraphrase that changes one word in ten scores 0.9, while common words
 * scattered across `b` do not add up. NOT symmetric: `a` is the quote, `b` the document. 0 when `a` has no words.
 */
export function overlapScore(a: string, b: string): number {
  return wordOverlap(
    wordSpans(a).map((w) => w.word),
    wordSpans(b).map((w) => w.word),
  );
}

/** {@link overlapScore} of two texts already cut into (normalised) words: for callers that compare one text many times. */
export function wordOverlap(needle: readonly string[], hay: readonly string[]): number {
  if (needle.length === 0 || hay.length === 0) return 0;
  const width = hay.length + 1;
  let prevScore = new Float64Array(width);
  let prevMatches = new Int32Array(width);
  let score = new Float64Array(width);
  let matches = new Int32Array(width);
  let bestScore = 0;
  let bestMatches = 0;
  for (let i = 1; i <= needle.length; i++) {
    score[0] = 0;
    matches[0] = 0;
    for (let j = 1; j < width; j++) {
      const same = needle[i - 1] === hay[j - 1];
      let s = prevScore[j - 1] + (same ? 1 : -MISMATCH);
      let m = prevMatches[j - 1] + (same ? 1 : 0);
      if (prevScore[j] - GAP > s) [s, m] = [prevScore[j] - GAP, prevMatches[j]];
      if (score[j - 1] - GAP > s) [s, m] = [score[j - 1] - GAP, matches[j - 1]];
      if (s <= 0) [s, m] = [0, 0];
      score[j] = s;
      matches[j] = m;
      if (s > bestScore || (s === bestScore && m > bestMatches)) [bestScore, bestMatches] = [s, m];
    }
    [prevScore, score] = [score, prevScore];
    [prevMatches, matches] = [matches, prevMatches];
  }
  return bestMatches / needle.length;
}
