// RAFT vocabulary (Zhang et al. 2024): examples made of a question, its oracle chunk(s), k distractor
// chunks, and a chain-of-thought answer that quotes the oracle verbatim.
import type { RetrievalMode } from '../retrieval/types';
import type { CotInfo } from './cot-types';

export type DistractorStrategy = 'hard' | 'random' | 'mixed';

export interface RaftParams {
  /** Distractor chunks per example (the paper's k). Integer 0..20, default 4. */
  distractors: number;
  /** Fraction of examples that keep their oracle (the paper's P). 0..1, default 0.8. */
  pOracle: number;
  /** Hard negatives (most similar chunks), random chunks, or a mix. Default 'hard'. */
  strategy: DistractorStrategy;
  /** With 'mixed': how many of the k are hard (the rest random). 0..k, default ⌈k/2⌉. */
  hardCount: number;
  /** Also exclude every chunk of the oracle's article from the distractors. Default false. */
  excludeOracleArticle: boolean;
  /** Retriever used for hard negatives. Default 'lexical' (needs no model). */
  retrievalMode: RetrievalMode;
  /** Seed of every random choice: same inputs and seed give byte-identical output. */
  seed: number;
  /** Context budget in tokens of the language model, for the over-budget warning. Default 2048. */
  contextBudget: number;
}

export const DEFAULT_RAFT_PARAMS: Readonly<RaftParams> = Object.freeze({
  distractors: 4,
  pOracle: 0.8,
  strategy: 'hard',
  hardCount: 2,
  excludeOracleArticle: false,
  retrievalMode: 'lexical',
  seed: 7,
  contextBudget: 2048,
});

export interface RaftDocument {
  chunkId: string;
  articlePath: string;
  title: string;
  headingPath: string[];
  text: string;
  role: 'oracle' | 'distractor';
  /** How the distractor was chosen; oracles are 'oracle'. */
  source: 'oracle' | 'hard' | 'random';
  /** Similarity to the question in the retriever used (null when not scored). */
  similarity: number | null;
  /** Rank among the retriever's candidates (1-based), null for random picks and oracles. */
  rank: number | null;
}

export interface RaftQuote {
  text: string;
  /** Index of the document the quote was found in verbatim, or null (invalid quote). */
  documentIndex: number | null;
}

export interface RaftExample {
  id: string;
  pairId: string;
  question: string;
  /** The reference answer of the question/answer pair. */
  answer: string;
  split: 'train' | 'test';
  /** Documents in the order the model sees them (shuffled). */
  documents: RaftDocument[];
  oraclePresent: boolean;
  /** Positions of the oracle(s) in `documents` (empty when left out). */
  oraclePositions: number[];
  oracleChunkIds: string[];
  /** Chain-of-thought answer: quotes between ##begin_quote## and ##end_quote##, ends with <ANSWER>: ... */
  cotAnswer: string;
  quotes: RaftQuote[];
  /** Problems found when validating (empty when valid). */
  problems: string[];
  /** Who wrote `cotAnswer`; absent: the template. */
  cot?: CotInfo;
  /** Candidates the retriever offered as distractors but the builder left out, and why. */
  skippedDistractors?: SkippedDistractor[];
}

/** A candidate distractor left out: it holds the reference answer, the oracle quote, or a near-copy of the oracle. */
export interface SkippedDistractor {
  chunkId: string;
  /** Where the chunk sits, for the inspector's "left out" line: its article's title and heading path. */
  title: string;
  headingPath: string[];
  /** 'answer': holds the reference answer; 'quote': holds the oracle's quote; 'near-copy': repeats the oracle (`distractor-check.ts`). */
  reason: 'answer' | 'quote' | 'near-copy';
}
