// Grounds an answer in its oracle chunk: the part of the chunk the answer repeats, copied exactly from the chunk,
// so a RAFT chain-of-thought can quote it and a checker can later find it verbatim.
import { findNormalised, wordSpans } from '../text-match';

/** Fewest words a grounding quote may have: shorter runs ("14 days", "Yes") match by chance too easily. */
export const MIN_GROUNDING_WORDS = 4;

/** A span of the chunk supporting the answer. `quote` is always an exact substring of the chunk text. */
export interface Grounding {
  quote: string;
  /** 'verbatim': the answer (or the matched part of it) is written exactly so in the chunk; 'near-verbatim': only
   * after normalising case, accents, spacing, quote/dash styles and emphasis marks. */
  level: 'verbatim' | 'near-verbatim';
}

/**
 * Finds `answer` in `chunkText`: whole (verbatim, then normalised, with or without its final full stop), else the
 * longest run of at least {@link MIN_GROUNDING_WORDS} consecutive answer words that the chunk also has in a row.
 * Null when no such span exists.
 */
export function groundAnswer(answer: string, chunkText: string): Grounding | null {
  const whole = answer.trim();
  if (wordSpans(whole).length < MIN_GROUNDING_WORDS) return null;
  for (const candidate of new Set([whole, whole.replace(/[.!?]+$/, '')])) {
    const at = chunkText.indexOf(candidate);
    if (at >= 0) return { quote: chunkText.slice(at, at + candidate.length), level: 'verbatim' };
  }
  for (const candidate of new Set([whole, whole.replace(/[.!?]+$/, '')])) {
    const span = findNormalised(chunkText, candidate);
    if (span) return { quote: chunkText.slice(span.start, span.end), level: 'near-verbatim' };
  }
  return longestSharedRun(answer, chunkText);
}

/** The longest run of words the answer and the chunk share, in order, with no word between (dynamic programming). */
function longestSharedRun(answer: string, chunkText: string): Grounding | null {
  const a = wordSpans(answer);
  const c = wordSpans(chunkText);
  let best = { length: 0, endA: 0, endC: 0 };
  let previous = new Int32Array(c.length + 1);
  let current = new Int32Array(c.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= c.length; j++) {
      current[j] = a[i - 1].word === c[j - 1].word ? previous[j - 1] + 1 : 0;
      if (current[j] > best.length) best = { length: current[j], endA: i, endC: j };
    }
    [previous, current] = [current, previous];
  }
  if (best.length < MIN_GROUNDING_WORDS) return null;
  const quote = chunkText.slice(c[best.endC - best.length].start, c[best.endC - 1].end);
  const written = answer.slice(a[best.endA - best.length].start, a[best.endA - 1].end);
  return { quote, level: written === quote ? 'verbatim' : 'near-verbatim' };
}
