// Finds the chunk(s) of one article that hold a quote: verbatim, else after normalising, else across the boundary
// of two neighbouring chunks, else by fuzzy word overlap above a threshold.
import type { Chunk } from '../chunking/types';
import { findNormalised, findVerbatim, overlapScore, wordSpans } from '../text-match';

/** What quote and answer matching needs to know about a chunk. */
export type QuestionChunk = Pick<Chunk, 'id' | 'articlePath' | 'headingPath' | 'text' | 'index'>;

/** How a quote was found: exactly, after {@link normaliseForMatch}, or by word overlap ({@link overlapScore}). */
export type QuoteLevel = 'verbatim' | 'normalised' | 'fuzzy';

/** Lowest {@link overlapScore} at which a quote that is not found (normalised) counts as found. */
export const FUZZY_THRESHOLD = 0.6;

/** Where a quote was found in an article. */
export interface QuoteMatch {
  /** Every chunk holding the quote (verbatim or normalised: usually one), or the one chunk with the largest share. */
  chunkIds: string[];
  level: QuoteLevel;
  /** Share of the quote's words the chosen chunk holds: 1 unless fuzzy or crossing a boundary. */
  share: number;
  /** The quote runs from one chunk into the next; the chunk holding the larger share was chosen. */
  crossesBoundary: boolean;
  /** The quote exactly as written in the chunk, when it lies within one chunk (verbatim or normalised). */
  exact?: string;
}

/** The best candidate when no chunk qualifies, to tell the user how close the quote came. */
export interface QuoteMiss {
  closest: { chunk: QuestionChunk; share: number } | null;
}

/**
 * Locates `quote` among `chunks` (one article's chunks, in any order).
 * NOTE: a quote copied from an overlap region lies verbatim in both chunks; both are returned.
 */
export function locateQuote(quote: string, chunks: readonly QuestionChunk[]): QuoteMatch | QuoteMiss {
  const ordered = [...chunks].sort((a, b) => a.index - b.index);
  // 1. Verbatim, then normalised, within single chunks.
  const verbatim = ordered.filter((c) => findVerbatim(c.text, quote) >= 0);
  if (verbatim.length > 0) return { chunkIds: verbatim.map((c) => c.id), level: 'verbatim', share: 1, crossesBoundary: false, exact: quote };
  const normalised = ordered.map((c) => ({ c, span: findNormalised(c.text, quote) })).filter((m) => m.span !== null);
  if (normalised.length > 0) {
    const { c, span } = normalised[0];
    const exact = c.text.slice(span!.start, span!.end);
    return { chunkIds: normalised.map((m) => m.c.id), level: 'normalised', share: 1, crossesBoundary: false, exact };
  }
  // 2. Across the boundary of two neighbouring chunks of one section.
  const shares = new Map(ordered.map((c) => [c.id, overlapScore(quote, c.text)]));
  const neighbours = ordered
    .slice(1)
    .map((b, k) => ({ a: ordered[k], b, ...joinNeighbours(ordered[k].text, b.text) }))
    .filter(({ a, b }) => sameSection(a, b));
  for (const { a, b, text, bFrom } of neighbours) {
    const span = findNormalised(text, quote);
    if (!span) continue;
    const words = wordSpans(text.slice(span.start, span.end));
    const count = Math.max(1, words.length);
    const shareA = words.filter((w) => span.start + w.end <= a.text.length).length / count;
    const shareB = words.filter((w) => span.start + w.start >= bFrom).length / count;
    return { chunkIds: [shareB > shareA ? b.id : a.id], level: 'normalised', share: Math.max(shareA, shareB), crossesBoundary: true };
  }
  // 3. Fuzzy: the chunk with the largest share, or a neighbour pair that together holds much more of it.
  let closest: QuoteMiss['closest'] = null;
  for (const chunk of ordered) {
    const share = shares.get(chunk.id)!;
    if (!closest || share > closest.share) closest = { chunk, share };
  }
  if (closest && closest.share >= FUZZY_THRESHOLD) {
    return { chunkIds: [closest.chunk.id], level: 'fuzzy', share: closest.share, crossesBoundary: false };
  }
  for (const { a, b, text } of neighbours) {
    if (overlapScore(quote, text) < FUZZY_THRESHOLD) continue;
    const [shareA, shareB] = [shares.get(a.id)!, shares.get(b.id)!];
    return { chunkIds: [shareB > shareA ? b.id : a.id], level: 'fuzzy', share: Math.max(shareA, shareB), crossesBoundary: true };
  }
  return { closest };
}

function sameSection(a: QuestionChunk, b: QuestionChunk): boolean {
  return a.headingPath.length === b.headingPath.length && a.headingPath.every((h, k) => h === b.headingPath[k]);
}

/**
 * The text two neighbouring chunks of one section cover together: `a`, then `b` without its heading line and
 * without the sentences it repeats from the end of `a` (chunk overlap). `bFrom`: where `b`'s part of it starts.
 */
function joinNeighbours(a: string, b: string): { text: string; bFrom: number } {
  const heading = a.slice(0, a.indexOf('\n') + 1);
  const body = heading && b.startsWith(heading) ? b.slice(heading.length) : b;
  const probe = /^\S+/.exec(body)?.[0] ?? '';
  for (let at = a.indexOf(probe); probe && at >= 0; at = a.indexOf(probe, at + 1)) {
    if (body.startsWith(a.slice(at))) return { text: a + body.slice(a.length - at), bFrom: at };
  }
  return { text: `${a}\n${body}`, bFrom: a.length + 1 };
}
