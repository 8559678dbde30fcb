// What the corpus worker reports to the page, and the requests the page makes of it: the corpus summary,
// indexing progress, search results, the documents a model reads, an import's report. Types only,
// shared by the worker's protocol, the clients, the state classes and the UI, so they live in core.
import type { ChunkOptions } from '../chunking';
import type { ContextDocument, ContextOptions } from '../inference/context';
import type { LoadedModel } from '../model-status';
import type { SkippedDistractor } from '../raft/types';
import type { EngineChoice, EngineStatus, RetrievalMode, SearchHit } from '../retrieval/types';
import type { Article, Chunk } from './types';

export interface CorpusSettings {
  engine: EngineChoice;
  chunking: ChunkOptions;
}

export type ArticleSummary = Omit<Article, 'chunkIds'> & { chunkCount: number };

export interface EmbedderState {
  /** The model loaded in this session, if any. */
  loaded: LoadedModel | null;
  /**
   * Label of the model whose vectors are stored (they are only used with that model); `folder` names the
   * folder on the device it came from, which is not copied here: it loads again by itself only when kept.
   */
  storedModel: { key: string; label: string; dim: number; folder?: string } | null;
  /** Loaded model differs from the stored vectors' model: re-embedding needs the user's confirmation. */
  conflict: boolean;
}

export interface CorpusSummary {
  articles: ArticleSummary[];
  chunkCount: number;
  /** Chunks with a vector of the current embedding model. */
  embeddedCount: number;
  embedder: EmbedderState;
  engine: EngineStatus;
  settings: CorpusSettings;
  /** Chunks embedded by this worker since it started: zero after a reload means nothing was re-embedded. */
  embeddedThisSession: number;
  questionCount: number;
  /** The last time every article was re-chunked in this session, and what it did (null or absent: not yet). */
  lastRechunk?: RechunkReport | null;
}

/** Every article re-chunked: why, the chunk counts before and after, and what happened to the questions. */
export interface RechunkReport {
  /** 'embedder': chunk sizes are now counted with this model's tokenizer; 'settings': new chunk options. */
  reason: 'embedder' | 'settings' | 'rules';
  /** The embedding model whose tokenizer counts the tokens (for 'embedder'). */
  model?: string;
  articles: number;
  chunksBefore: number;
  chunksAfter: number;
  /** Questions whose oracle chunk went away: tied again to the chunk holding their quote (or article). */
  questionsReattached: number;
  /** Questions whose oracle chunk went away and could not be tied again: marked orphaned, never deleted. */
  questionsOrphaned: number;
  at: number;
}

export interface ImportQuestionsReport {
  format: 'jsonl' | 'json' | 'csv';
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Lines that could not be read at all (bad JSON, a missing question), with their line numbers. */
  parseErrors: { line: number; message: string }[];
  /** Rows read but not tied to a chunk: kept as unresolved pairs for the user to fix. */
  unresolved: { id: string; line: number; question: string; problem: string }[];
  notes: { line: number; note: string }[];
}

export interface IndexProgress {
  /** Chunks embedded by this run, of the `total` it set out to embed. */
  done: number;
  total: number;
  /** Chunks of the corpus with a vector now (those from earlier runs included), of `chunkCount`. */
  embedded: number;
  chunkCount: number;
  /** Chunks per second over this run. */
  rate: number;
  etaSeconds: number | null;
}

export interface SearchView extends SearchHit {
  chunk: Chunk;
  articleTitle: string;
}

export interface SearchResponse {
  hits: SearchView[];
  mode: RetrievalMode;
  engine: EngineStatus | null;
  /** Time spent in the index (and fusion), excluding embedding the query. */
  searchMs: number;
  embedMs: number;
}

export interface ContextParams {
  question: string;
  mode: RetrievalMode;
  options: ContextOptions;
  /** The question's oracle chunks, when it comes from the question set (else empty). */
  oracleChunkIds: string[];
  /** The pair's reference answer and quote, when known: extra distractors holding them are passed over. */
  answer?: string;
  quote?: string;
}

export interface ContextResponse {
  /** What the model reads, in prompt order, each marked oracle or distractor. */
  documents: ContextDocument[];
  /** Chunk ids the retriever returned, best first, before any oracle handling (for recall@k and MRR). */
  ranking: string[];
  /** Candidates passed over as distractors: they hold the answer, the quote or a copy of the oracle. */
  skipped?: SkippedDistractor[];
  /** Article of each id in `ranking`. */
  rankingArticles: string[];
  mode: RetrievalMode;
  searchMs: number;
  embedMs: number;
}

export interface IngestFile {
  path: string;
  blob: Blob;
}
