// The corpus as stored and shown: articles (one per dropped file) and their chunks.
import type { Chunk } from '../chunking';

export interface Article {
  /** Relative path as dropped, e.g. `billing/refund-policy.md`: the article's identity. */
  path: string;
  title: string;
  aliases: string[];
  tags: string[];
  description?: string;
  /** Wikilink targets found in the article. */
  links: string[];
  warnings: string[];
  /** Hash of the decoded text: an unchanged file is not re-chunked. */
  contentHash: string;
  bytes: number;
  chunkIds: string[];
  addedAt: number;
}

export type { Chunk };

/** What happened to each dropped file. */
export interface IngestReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  skipped: { path: string; reason: string }[];
  /** Parsed but with something the user should know (e.g. invalid front matter). */
  warnings: { path: string; message: string }[];
  chunksAdded: number;
  chunksRemoved: number;
}

export function emptyReport(): IngestReport {
  return { added: [], updated: [], unchanged: [], skipped: [], warnings: [], chunksAdded: 0, chunksRemoved: 0 };
}
