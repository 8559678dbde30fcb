// Which chunks may serve as distractors: not one that holds the question's reference answer, repeats the oracle's
// quote, or is a near-copy of the oracle passage. A "distractor" that answers the question would teach the model to
// ignore a correct document and make a no-oracle target false. One rule for the RAFT builder and for the arena's and
// the evaluation's extra distractors, so all three mean the same thing by "distractor".
import { wordOverlap } from '../text-match';
import type { SkippedDistractor } from './types';

export type SkipReason = SkippedDistractor['reason'];

/** Words (articles aside) an answer or quote needs before holding it disqualifies a chunk: "Yes" or "14 days" occur everywhere by chance. */
export const MIN_MATCH_WORDS = 3;

/**
 * Least share of the answer's words that one stretch of the chunk must repeat in order (`overlapScore`) to hold
 * an answer it does not contain word for word. With numbers (every number of the answer must also be in the chunk):
 * 0.6, so "25 MB on Free and 250 MB on paid plans" holds "25 MB per file on Free; 250 MB per file on paid plans"
 * (0.69 on the sample wiki), while "within 30 days" does not hold "within 45 days". Without numbers nothing pins the
 * fact down, so 0.8.
 */
export const ANSWER_OVERLAP_WITH_NUMBERS = 0.6;
export const ANSWER_OVERLAP = 0.8;

/**
 * Least share of the oracle's word pairs (adjacent normalised words, "2-shingles") that a chunk must also have to be a
 * near-copy of it. Word pairs, not single words: a sibling section written from the same template with other values
 * ("the limit for item 3-1 is 31 units" next to "... 3-2 is 32 units") shares most words but few pairs, and is the
 * best kind of hard distractor. Measured on the sample wiki: the highest share between an oracle and any other chunk
 * is 0.39 (v1 beside v2 rate limits; 0.65 of single words), so 0.8 flags copies (a page pasted elsewhere, an edited
 * copy with one word in ten changed) and nothing else. A copy that lacks a number of the answer states another
 * fact (a monthly policy copied into an annual one, 14 days made 30): it stays, as a very hard distractor.
 */
export const NEAR_COPY_SHARE = 0.8;

/** What a chunk must not hold to be a distractor of one question. */
export interface DistractorEvidence {
  /** The pair's reference answer. */
  answer: string;
  /** Quotes of the oracle: the one the answer quotes, and the pair's own. Blank ones are ignored. */
  quotes: string[];
  /** Text of each oracle chunk. */
  oracleTexts: string[];
}

export interface CheckOptions {
  /**
   * Also disqualify chunks that contain a short answer (fewer than {@link MIN_MATCH_WORDS} words) word for word.
   * For examples without their oracle, whose target claims the answer is not in the documents. Default false.
   */
  anyLength?: boolean;
}

const ARTICLES = new Set(['a', 'an', 'the']);

/**
 * A text's words as answer scoring compares them (`normaliseAnswer`), joined by single spaces and space-padded:
 * lower case, accents dropped, cut at anything that is not a letter or a digit ("E-413" → " e 413 ", "1,000" →
 * " 1 000 "). Articles are kept here and dropped where the answer is compared word for word.
 */
function spacedWords(text: string): string {
  const lower = text.toLowerCase();
  // NOTE: most chunks are ASCII, where this is the same cut and several times faster (dataset builds check thousands).
  const spaced = /[^\x00-\x7f]/.test(lower) ? lower.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ') : lower.replace(/[^a-z0-9]+/g, ' ');
  return ` ${spaced.trim()} `.replace(/^ +$/, ' ');
}

function wordsOf(text: string): string[] {
  const spaced = spacedWords(text).trim();
  return spaced ? spaced.split(' ') : [];
}

const isNumber = (word: string) => /\p{N}/u.test(word);
const padded = (words: readonly string[]) => ` ${words.join(' ')} `;
const withoutArticles = (spaced: string) => spaced.replace(/ (?:a|an|the)(?= )/g, '');

/** A chunk's text in the forms the checks compare, each made once and only when a check needs it. */
class Prepared {
  /** All words, space-padded: quotes are found in it word for word, and single words as ` word `. */
  readonly joined: string;
  #bare: string | null = null;
  #words: string[] | null = null;

  constructor(text: string) {
    this.joined = spacedWords(text);
  }

  has(word: string): boolean {
    return this.joined.includes(` ${word} `);
  }

  /** Words without articles, space-padded: the answer is found in it word for word. */
  get bare(): string {
    return (this.#bare ??= withoutArticles(this.joined));
  }

  get words(): string[] {
    if (this.#words) return this.#words;
    const trimmed = this.joined.trim();
    return (this.#words = trimmed ? trimmed.split(' ') : []);
  }
}

function pairsOf(words: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < words.length; i++) pairs.add(`${words[i - 1]} ${words[i]}`);
  return pairs;
}

/** The answer-holding test for one answer, with the answer's forms computed once. */
function answerTest(answer: string, anyLength: boolean): (text: Prepared) => boolean {
  const all = wordsOf(answer);
  const bare = all.filter((w) => !ARTICLES.has(w));
  if (bare.length === 0 || (bare.length < MIN_MATCH_WORDS && !anyLength)) return () => false;
  const whole = padded(bare);
  const numbers = bare.filter(isNumber);
  const least = numbers.length ? ANSWER_OVERLAP_WITH_NUMBERS : ANSWER_OVERLAP;
  return (text) => {
    if (text.bare.includes(whole)) return true;
    if (bare.length < MIN_MATCH_WORDS || !numbers.every((n) => text.has(n))) return false;
    // The overlap counts answer words the chunk repeats, so too few of them anywhere in it cannot reach `least`.
    if (all.filter((w) => text.has(w)).length < least * all.length) return false;
    return wordOverlap(all, text.words) >= least;
  };
}

/**
 * Whether `text` holds `answer`: it contains the answer word for word, normalised as answer scoring does
 * (`normaliseAnswer`: case, accents, punctuation, articles), or, for answers of {@link MIN_MATCH_WORDS}+
 * words, it has every number of the answer and a stretch of it repeats most of the answer's words in order
 * ({@link ANSWER_OVERLAP_WITH_NUMBERS}, {@link ANSWER_OVERLAP}). Shorter answers count only with `anyLength`, and
 * only word for word.
 */
export function holdsAnswer(text: string, answer: string, options: CheckOptions = {}): boolean {
  return answerTest(answer, options.anyLength ?? false)(new Prepared(text));
}

/** Share (0..1) of the oracle's adjacent word pairs that `text` also has; 0 when the oracle has fewer than two words. */
export function nearCopyShare(oracleText: string, text: string): number {
  return pairShare(oracleForm(oracleText), wordsOf(text));
}

/** An oracle's word pairs, and its words (a pair can only be shared where both words are oracle words). */
interface OracleForm {
  pairs: Set<string>;
  words: Set<string>;
}

function oracleForm(text: string): OracleForm {
  const words = wordsOf(text);
  return { pairs: pairsOf(words), words: new Set(words) };
}

/** {@link nearCopyShare} against an oracle prepared once; `least` lets it stop as soon as that share is out of reach. */
function pairShare(oracle: OracleForm, words: readonly string[], least = 0): number {
  const total = oracle.pairs.size;
  if (total === 0) return 0;
  const found = new Set<string>();
  for (let i = 1; i < words.length; i++) {
    if ((found.size + words.length - i) / total < least) return 0;
    if (!oracle.words.has(words[i]) || !oracle.words.has(words[i - 1])) continue;
    const pair = `${words[i - 1]} ${words[i]}`;
    if (oracle.pairs.has(pair)) found.add(pair);
  }
  return found.size / total;
}

/**
 * The check of one question's candidates: why a chunk's text may not be a distractor ('answer', 'quote' or
 * 'near-copy', tested in that order), or null when it may. Quotes count from {@link MIN_MATCH_WORDS} words and are
 * found as whole words, normalised as the answer is; a near-copy has {@link NEAR_COPY_SHARE} of the oracle's word
 * pairs and every number of the answer. The evidence is prepared once; call the result per candidate.
 */
export function distractorCheck(evidence: DistractorEvidence, options: CheckOptions = {}): (text: string) => SkipReason | null {
  const holds = answerTest(evidence.answer, options.anyLength ?? false);
  const quoteWords = evidence.quotes.map(wordsOf).filter((words) => words.filter((w) => !ARTICLES.has(w)).length >= MIN_MATCH_WORDS);
  const quotes = [...new Set(quoteWords.map(padded))];
  const oracles = evidence.oracleTexts.map(oracleForm).filter((o) => o.pairs.size > 0);
  const numbers = wordsOf(evidence.answer).filter(isNumber);
  return (raw) => {
    const text = new Prepared(raw);
    if (holds(text)) return 'answer';
    if (quotes.some((q) => text.joined.includes(q))) return 'quote';
    const sameFacts = oracles.length > 0 && numbers.every((n) => text.has(n));
    if (sameFacts && oracles.some((o) => pairShare(o, text.words, NEAR_COPY_SHARE) >= NEAR_COPY_SHARE)) return 'near-copy';
    return null;
  };
}

/** Words a user reads for each reason, e.g. in the inspector's "left out: holds the answer". */
export const SKIP_REASON_LABELS: Readonly<Record<SkipReason, string>> = Object.freeze({
  answer: 'holds the answer',
  quote: 'holds the oracle quote',
  'near-copy': 'near-copy of the oracle',
});
