// Question/answer pairs tied to oracle chunks: the record the Questions stage lists, edits, splits and turns into
// RAFT examples, the raw row an import file yields, and the stable id that makes re-imports idempotent.
import { hash } from '../hash';
import { normaliseForMatch } from '../text-match';

/** Which dataset a pair goes to; 'unassigned' until a split is made. */
export type PairSplit = 'train' | 'test' | 'unassigned';
/** Where a pair came from. */
export type PairOrigin = 'manual' | 'imported' | 'synthetic';
/** 'unresolved': no oracle chunk could be chosen; 'orphaned': an oracle chunk has since disappeared. */
export type PairStatus = 'ok' | 'unresolved' | 'orphaned';

/** One question, its answer and the chunk(s) holding the answer. */
export interface QAPair {
  /** From {@link pairId}: the same question and oracle reference always give the same id. */
  id: string;
  question: string;
  /** '' when the source gave none. */
  answer: string;
  /** Oracle chunks: at least one when status is 'ok'; several for a multi-hop question. */
  oracleChunkIds: string[];
  /** Supporting text; after resolution at the 'verbatim' or 'normalised' level, an exact substring of the oracle. */
  quote?: string;
  split: PairSplit;
  /** True when the seeded split drew this side; absent when the side came with the pair (file, or set by hand). */
  splitDrawn?: boolean;
  tags: string[];
  origin: PairOrigin;
  /** The user's thumbs up (1) or down (-1). */
  feedback?: 1 | -1;
  status: PairStatus;
  /** Why the pair is unresolved or orphaned, in words the user can act on. */
  problem?: string;
  /** Oracle chunks that went away (article removed or changed), kept to tie the pair again when they come back. */
  lostOracle?: LostChunk[];
  /** Where an imported pair came from: file name, 1-based line, and the article reference as written. */
  source?: { file?: string; line?: number; article?: string };
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

/** An oracle chunk a pair lost: its old id, the article it was in and its content hash (see core/questions/reattach). */
export interface LostChunk {
  chunkId: string;
  articlePath: string;
  contentHash: string;
}

/** One row of an import file, fields checked and trimmed but not yet tied to chunks. */
export interface RawQuestionRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  /** Never empty. */
  question: string;
  answer?: string;
  /** `chunk_id` / `chunkId` / `chunk_ids`: wins over `article` when both are given. */
  chunkIds?: string[];
  /** Relative path (with or without extension, or a path suffix), title or alias of an article. */
  article?: string;
  quote?: string;
  feedback?: 1 | -1;
  split?: 'train' | 'test';
  tags: string[];
}

/** Where a row says its answer is: chunk ids, or an article and optionally a quote. */
export interface OracleRef {
  chunkIds?: readonly string[];
  article?: string;
  quote?: string;
}

/**
 * The identity of an oracle reference: the sorted chunk ids, else the article reference (case, slashes and a
 * leading `./` ignored) and the normalised quote. Built from the reference as written, not from its resolution,
 * so a pair keeps its id when the corpus is re-chunked.
 */
export function oracleKey(ref: OracleRef): string {
  if (ref.chunkIds && ref.chunkIds.length > 0) return 'chunks:' + [...ref.chunkIds].sort().join(',');
  const article = (ref.article ?? '').trim().replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '').toLowerCase();
  return `article:${article}\u0000${normaliseForMatch(ref.quote ?? '')}`;
}

/**
 * Stable id of a pair: `q_` + hash of the normalised question and the oracle key (see {@link oracleKey}).
 * Re-importing the same file yields the same ids; so does re-typing a question with different spacing or case.
 */
export function pairId(question: string, oracle: string): string {
  return 'q_' + hash(`${normaliseForMatch(question)}\u0000${oracle}`);
}
