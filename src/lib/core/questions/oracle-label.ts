// How a pair's oracle is named on the page, the same for imported, written and generated pairs: from the chunk
// itself (its article's full path, folder included, its headings and its place in the article), never from the
// article name a question file happened to give.
import { formatHeadingPath, type Chunk } from '../chunking';
import { plural } from '../words';
import type { QAPair } from './types';

/** What names an oracle chunk: where it sits, without its text. */
export interface OracleChunkRef {
  articlePath: string;
  headingPath: string[];
  /** 1-based place in its article's reading order. */
  position: number;
  /** Chunks in its article. */
  of: number;
}

/** The reference of each chunk of one article (all of them, in any order): its place counted in reading order. */
export function oracleChunkRefs(articleChunks: readonly Chunk[]): Map<string, OracleChunkRef> {
  const ordered = [...articleChunks].sort((a, b) => a.index - b.index);
  return new Map(ordered.map((c, i) => [c.id, { articlePath: c.articlePath, headingPath: c.headingPath, position: i + 1, of: ordered.length }]));
}

/** "billing/refund-policy.md › Refund policy › Request a refund (chunk 2 of 5)". */
export function formatOracleChunk(ref: OracleChunkRef): string {
  const heading = formatHeadingPath(ref.headingPath);
  return `${ref.articlePath}${heading ? ` › ${heading}` : ''} (chunk ${ref.position} of ${ref.of})`;
}

/**
 * A pair's oracle in words. `refs` maps chunk ids to their reference, or to null for a chunk no longer in the
 * corpus; an id not in `refs` yet (still being read) shows as "…".
 */
export function formatOracle(pair: Pick<QAPair, 'oracleChunkIds'>, refs: ReadonlyMap<string, OracleChunkRef | null>): string {
  const [first, ...rest] = pair.oracleChunkIds;
  if (first === undefined) return 'no oracle chunk';
  const ref = refs.get(first);
  const head = ref === undefined ? '…' : ref === null ? 'a chunk no longer in the corpus' : formatOracleChunk(ref);
  return rest.length ? `${head} + ${plural(rest.length, 'more chunk')}` : head;
}
