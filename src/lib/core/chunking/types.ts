// Chunking vocabulary: options (with their ranges and defaults), the Chunk record and the token counter.

/** Counts the tokens of `text` as the embedding model would (the app injects its tokenizer). */
export type CountTokens = (text: string) => number;

export interface ChunkOptions {
  /** Tokens a chunk aims for; blocks are packed up to this size. Integer, 32..2048, default 200. */
  targetTokens: number;
  /** Hard ceiling per chunk, heading line included. Integer, targetTokens..8192, default 256. */
  maxTokens: number;
  /** Trailing sentences of a chunk repeated at the start of the next one in the same section. Integer, 0..targetTokens/2, default 32. */
  overlapTokens: number;
  /**
   * Floor below which a chunk is merged with a neighbour: a heading with a line or two under it joins the next
   * short sections (or the chunk before or after it), so no chunk is this small unless its whole article is.
   * Counted with the injected counter, heading line included. Integer, 0..targetTokens/2 (0: never merge),
   * default 32 (or targetTokens/2 when that is smaller).
   */
  minTokens: number;
}

/** Defaults sized for small embedding models (MiniLM-class, 256-512 token windows). */
export const DEFAULT_CHUNK_OPTIONS: Readonly<ChunkOptions> = Object.freeze({ targetTokens: 200, maxTokens: 256, overlapTokens: 32, minTokens: 32 });

/**
 * Version of the chunking rules. Bump it whenever the same text and options give different chunks, so that
 * stored corpora are re-chunked (the corpus worker compares it with the version their chunks were made by).
 * 1: heading-aware packing; 2: short sections merged up to `minTokens`, inline code keeps its backticks.
 */
export const CHUNKER_VERSION = 2;

/** One retrievable passage of an article. */
export interface Chunk {
  /** Stable across re-chunking: derived from the path, heading path, content hash and occurrence. */
  id: string;
  articlePath: string;
  /**
   * Headings above the chunk, outermost first, e.g. ["Refund policy", "Request a refund"]; [] before the first heading.
   * A chunk merged from several short sections has the headings they share (their common parent), e.g.
   * ["API", "Options"] for the sections "API › Options › width" and "API › Options › height".
   */
  headingPath: string[];
  /**
   * First line: the innermost heading (the article title before the first heading); then the content. A chunk
   * merged from short sections holds each section's heading line followed by its content, in document order.
   */
  text: string;
  /** Tokens of `text` under the injected counter (summed per piece; exact for tokenizers that split at whitespace). */
  tokenCount: number;
  /** hash(text). */
  contentHash: string;
  /** 0-based position within the article. */
  index: number;
}

/** Display form of a heading path: "Refund policy › Request a refund". */
export function formatHeadingPath(headingPath: readonly string[]): string {
  return headingPath.join(' › ');
}

/**
 * Fills in defaults and checks ranges; throws a RangeError naming the field, its valid range and the value given.
 */
export function resolveChunkOptions(options: Partial<ChunkOptions> = {}): ChunkOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<ChunkOptions>;
  const resolved = { ...DEFAULT_CHUNK_OPTIONS, ...given };
  const { targetTokens, maxTokens, overlapTokens } = resolved;
  check('targetTokens', targetTokens, 32, 2048);
  // NOTE: settings stored before minTokens existed lack it; its default shrinks with a small target.
  if (given.minTokens === undefined) resolved.minTokens = Math.min(DEFAULT_CHUNK_OPTIONS.minTokens, Math.floor(targetTokens / 2));
  check('maxTokens', maxTokens, targetTokens, 8192);
  check('overlapTokens', overlapTokens, 0, Math.floor(targetTokens / 2));
  check('minTokens', resolved.minTokens, 0, Math.floor(targetTokens / 2));
  return resolved;
}

function check(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${value}`);
  }
}
