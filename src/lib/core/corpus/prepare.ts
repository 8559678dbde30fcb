// Turns one dropped file into an article and its chunks, or into a reason it was skipped. Pure:
// the corpus worker calls it with the embedding model's token counter.
import { chunkArticle, type ChunkOptions, type CountTokens } from '../chunking';
import { hash } from '../hash';
import { decodeText, parseArticle } from '../markdown';
import { screenFile } from './files';
import type { Article, Chunk } from './types';

export type Prepared =
  | { kind: 'article'; article: Article; chunks: Chunk[]; text: string }
  | { kind: 'unchanged' }
  | { kind: 'skipped'; reason: string };

export interface PrepareInput {
  path: string;
  bytes: Uint8Array;
  /** Content hash of the stored version of this path, if any. */
  storedHash?: string;
  chunking: ChunkOptions;
  countTokens: CountTokens;
  now: number;
}

export function prepareFile(input: PrepareInput): Prepared {
  const { path, bytes } = input;
  const screened = screenFile(path, bytes.byteLength);
  if (screened) return { kind: 'skipped', reason: screened };
  if (bytes.byteLength === 0) return { kind: 'skipped', reason: 'empty file' };
  const decoded = decodeText(bytes);
  if ('error' in decoded) return { kind: 'skipped', reason: decoded.error };
  const contentHash = hash(decoded.text);
  if (contentHash === input.storedHash) return { kind: 'unchanged' };
  return { kind: 'article', text: decoded.text, ...articleFromText(path, decoded.text, contentHash, bytes.byteLength, input) };
}

/** Parses and chunks decoded text; also used to re-chunk stored text when chunk settings change. */
export function articleFromText(
  path: string,
  text: string,
  contentHash: string,
  bytes: number,
  input: Pick<PrepareInput, 'chunking' | 'countTokens' | 'now'>,
): { article: Article; chunks: Chunk[] } {
  const parsed = parseArticle(path, text);
  const chunks = chunkArticle(parsed, input.chunking, input.countTokens);
  const warnings = [...parsed.warnings];
  if (chunks.length === 0 && !warnings.length) warnings.push('No text to index: the file has no readable content.');
  const article: Article = {
    path,
    title: parsed.title,
    aliases: parsed.metadata.aliases,
    tags: parsed.metadata.tags,
    description: parsed.metadata.description,
    links: parsed.metadata.links,
    warnings,
    contentHash,
    bytes,
    chunkIds: chunks.map((c) => c.id),
    addedAt: input.now,
  };
  return { article, chunks };
}
