// Cuts text that is too long for one chunk: at sentence ends, then line breaks, then spaces, then (last resort)
// between characters. Each piece remembers the whitespace that preceded it so the text can be rejoined.
import type { TokenMeter } from './tokens';

/** A piece of a longer text, with its token cost and the separator that went before it. */
export interface Piece {
  text: string;
  /** Whitespace that joined this piece to the previous one: ' ', '\n' or '' (after a CJK full stop). */
  sep: string;
  tokens: number;
}

/** More characters per token than any real tokenizer averages over a long text. */
const MAX_CHARS_PER_TOKEN = 32;

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'vs', 'cf', 'mr', 'mrs', 'ms', 'dr', 'st', 'fig', 'approx', 'inc', 'ltd', 'jr', 'sr']);
const SENTENCE_END = /[.!?…]+["'”’)\]]*(\s+)|[。！？]+["'”’」』)\]]*(\s*)/g;

/** Splits prose into sentences; abbreviations ("e.g.", "Dr.") and initials ("J. Smith") do not end a sentence. */
export function splitSentences(text: string): { text: string; sep: string }[] {
  const out: { text: string; sep: string }[] = [];
  let start = 0;
  let sep = '';
  for (const match of text.matchAll(SENTENCE_END)) {
    const whitespace = match[1] ?? match[2] ?? '';
    const end = match.index + match[0].length - whitespace.length;
    const next = match.index + match[0].length;
    if (next >= text.length) break;
    if (match[1] !== undefined && !endsSentence(text, match.index)) continue;
    out.push({ text: text.slice(start, end), sep });
    sep = whitespace.includes('\n') ? '\n' : whitespace ? ' ' : '';
    start = next;
  }
  out.push({ text: text.slice(start), sep });
  return out.filter((sentence) => sentence.text.length > 0);
}

function endsSentence(text: string, punctuation: number): boolean {
  if (text.charAt(punctuation) !== '.') return true;
  const wordStart = Math.max(text.lastIndexOf(' ', punctuation - 1), text.lastIndexOf('\n', punctuation - 1)) + 1;
  const word = text.slice(wordStart, punctuation).replace(/^[("'“‘[]+/, '').toLowerCase();
  // "e.g.", "Dr.", "J." (an initial) and "U.S." (dotted letters) are not sentence ends.
  return !(ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word));
}

function splitAt(text: string, separator: RegExp, fallbackSep: string): { text: string; sep: string }[] {
  const out: { text: string; sep: string }[] = [];
  let start = 0;
  let sep = '';
  for (const match of text.matchAll(separator)) {
    if (match.index > start) out.push({ text: text.slice(start, match.index), sep });
    sep = match[0].includes('\n') ? '\n' : fallbackSep;
    start = match.index + match[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), sep });
  return out;
}

function splitHalves(text: string): { text: string; sep: string }[] {
  const chars = Array.from(text);
  const middle = Math.ceil(chars.length / 2);
  return [
    { text: chars.slice(0, middle).join(''), sep: '' },
    { text: chars.slice(middle).join(''), sep: '' },
  ];
}

const LEVELS = [
  (text: string) => splitSentences(text),
  (text: string) => splitAt(text, /[ \t]*\n\s*/g, '\n'),
  (text: string) => splitAt(text, /\s+/g, ' '),
  splitHalves,
];

/**
 * Cuts `text` into pieces of at most `budget` tokens each, trying sentence ends first and coarser cuts only
 * for pieces that still do not fit. `firstSep` becomes the first piece's separator. A single character over
 * budget is kept whole (nothing smaller exists).
 */
export function fitPieces(text: string, budget: number, meter: TokenMeter, firstSep: string, level = 0): Piece[] {
  if (isOneCharacter(text)) return [{ text, sep: firstSep, tokens: meter.cost(text) }];
  // NOTE: text this long cannot fit, so the tokenizer is spared counting it before counting its parts.
  const tokens = text.length > budget * MAX_CHARS_PER_TOKEN ? Infinity : meter.cost(text);
  if (tokens <= budget) return [{ text, sep: firstSep, tokens }];
  const parts = LEVELS[level](text);
  // Halving is the last level and repeats until pieces fit; the others hand over to the next, finer level.
  const next = Math.min(level + 1, LEVELS.length - 1);
  if (parts.length <= 1) return fitPieces(text, budget, meter, firstSep, next);
  return parts.flatMap((part, i) => fitPieces(part.text, budget, meter, i === 0 ? firstSep : part.sep, next));
}

function isOneCharacter(text: string): boolean {
  return text.length <= 1 || (text.length === 2 && (text.codePointAt(0) ?? 0) > 0xffff);
}
