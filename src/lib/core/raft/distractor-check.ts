// Which chunks may serve as distractors: not one that holds the question's reference answer, repeats the oracle's
// quote, or is a near-copy of the oracle passage. A "distractor" that answers the question would teach the model to
// ignore a correct document and make a no-oracle target false. One rule for the RAFT builder and for the arena's and
// the evaluation's extra distractors, so all three mean the same thing by "distractor".
import { normaliseAnswer } from '../metrics/answer';
import { overlapScore, wordSpans } from '../text-match';
import type { SkippedDistractor } from './types';

export type SkipReason = SkippedDistractor['reason'];

/** Words (after {@link normaliseAnswer}) an answer or quote needs before holding it disqualifies a chunk: "Yes" or "14 days" occur everywhere by chance. */
export const MIN_MATCH_WORDS = 3;

/**
 * Least share of the answer's words that one stretch of the chunk must repeat in order ({@link overlapScore}) to hold
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
 * best kind of hard distractor. Measured on the sample wiki: the highest share of any top-24 candidate is 0.39 (and
 * 0.65 of single words, v1 beside v2 rate-limit headers), so 0.8 flags copies (a page pasted elsewhere, an edited
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

/** A chunk's text in the forms the checks compare: answer words ({@link normaliseAnswer}), match words ({@link wordSpans}) and their pairs. */
interface Prepared {
  padded: string;
  tokens: Set<string>;
  matchWords: string;
  pairs: Set<string>;
}

function prepare(text: string): Prepared {
  const normalised = normaliseAnswer(text);
  const words = matchWords(text);
  return { padded: ` ${normalised} `, tokens: new Set(normalised.split(' ')), matchWords: ` ${words.join(' ')} `, pairs: pairsOf(words) };
}

/** Words as the arena compares quotes: case, accents, quote and dash styles and emphasis marks folded (`text-match.ts`). */
function matchWords(text: string): string[] {
  return wordSpans(text).map((w) => w.word);
}

function wordPairs(text: string): Set<string> {
  return pairsOf(matchWords(text));
}

function pairsOf(words: string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < words.length; i++) pairs.add(`${words[i - 1]} ${words[i]}`);
  return pairs;
}

/** The numbers of a text, as {@link normaliseAnswer} writes them ("E-413" → "413", "1,000" → "1", "000"). */
function numbersOf(text: string): string[] {
  return normaliseAnswer(text)
    .split(' ')
    .filter((w) => /\p{N}/u.test(w));
}

/** The answer-holding test for one answer, with the answer's forms computed once. */
function answerTest(answer: string, anyLength: boolean): (text: string, prepared: Prepared) => boolean {
  const normalised = normaliseAnswer(answer);
  const words = normalised ? normalised.split(' ') : [];
  if (words.length === 0 || (words.length < MIN_MATCH_WORDS && !anyLength)) return () => false;
  const numbers = numbersOf(answer);
  return (text, prepared) => {
    if (prepared.padded.includes(` ${normalised} `)) return true;
    if (words.length < MIN_MATCH_WORDS) return false;
    if (!numbers.every((n) => prepared.tokens.has(n))) return false;
    return overlapScore(answer, text) >= (numbers.length ? ANSWER_OVERLAP_WITH_NUMBERS : ANSWER_OVERLAP);
  };
}

/**
 * Whether `text` holds `answer`: it contains the answer after {@link normaliseAnswer} (case, punctuation, articles,
 * spacing), or, for answers of {@link MIN_MATCH_WORDS}+ words, it has every number of the answer and a stretch of it
 * repeats most of the answer's words in order ({@link ANSWER_OVERLAP_WITH_NUMBERS}, {@link ANSWER_OVERLAP}).
 * Shorter answers count only with `anyLength`, and only word for word.
 */
export function holdsAnswer(text: string, answer: string, options: CheckOptions = {}): boolean {
  return answerTest(answer, options.anyLength ?? false)(text, prepare(text));
}

/** Share (0..1) of the oracle's adjacent word pairs that `text` also has; 0 when the oracle has fewer than two words. */
export function nearCopyShare(oracleText: string, text: string): number {
  return pairShare(wordPairs(oracleText), wordPairs(text));
}

function pairShare(oracle: Set<string>, other: Set<string>): number {
  if (oracle.size === 0) return 0;
  let shared = 0;
  for (const pair of oracle) if (other.has(pair)) shared++;
  return shared / oracle.size;
}

/**
 * The check of one question's candidates: why a chunk's text may not be a distractor ('answer', 'quote' or
 * 'near-copy', tested in that order), or null when it may. Quotes count from {@link MIN_MATCH_WORDS} words and are
 * found as whole words, folded as the arena folds them and punctuation aside; a near-copy is {@link NEAR_COPY_SHARE} of the oracle's
 * word pairs with every number of the answer. The evidence is prepared once; call it per candidate.
 */
export function distractorCheck(evidence: DistractorEvidence, options: CheckOptions = {}): (text: string) => SkipReason | null {
  const holds = answerTest(evidence.answer, options.anyLength ?? false);
  const quotes = [...new Set(evidence.quotes.map((q) => matchWords(q)))].filter((words) => words.length >= MIN_MATCH_WORDS).map((words) => ` ${words.join(' ')} `);
  const oracles = evidence.oracleTexts.map(wordPairs).filter((pairs) => pairs.size > 0);
  const numbers = numbersOf(evidence.answer);
  return (text) => {
    const prepared = prepare(text);
    if (holds(text, prepared)) return 'answer';
    if (quotes.some((q) => prepared.matchWords.includes(q))) return 'quote';
    const sameFacts = numbers.every((n) => prepared.tokens.has(n));
    if (sameFacts && oracles.some((pairs) => pairShare(pairs, prepared.pairs) >= NEAR_COPY_SHARE)) return 'near-copy';
    return null;
  };
}

/** Words a user reads for each reason, e.g. in the inspector's "left out: holds the answer". */
export const SKIP_REASON_LABELS: Readonly<Record<SkipReason, string>> = Object.freeze({
  answer: 'holds the answer',
  quote: 'holds the oracle quote',
  'near-copy': 'near-copy of the oracle',
});
