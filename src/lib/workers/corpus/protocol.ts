// The corpus worker's API: ingest files, keep chunks and vectors in IndexedDB, embed what is
// missing (resumable), and search in three modes.
import type { ChunkOptions } from '../../core/chunking';
import type { Article, Chunk, IngestReport } from '../../core/corpus/types';
import type { QAPair } from '../../core/questions/types';
import type { SplitOptions } from '../../core/questions/split';
import type { BuildDatasetParams, BuiltDataset } from './dataset';
import type { DatasetInputsSummary } from './dataset-inputs';
import type { LoadOptions, ModelSource } from '../../core/models';
import type { RetrievalMode, SearchHit } from '../../core/retrieval/types';
import type { ContextDocument, ContextOptions } from '../../core/inference/context';
import type { SkippedDistractor } from '../../core/raft/types';
import type { LoadedModel, LoadProgress } from '../models/protocol';
import type { EngineChoice, EngineStatus } from './retriever';

export type { EngineChoice, EngineStatus };

export interface CorpusSettings {
  engine: EngineChoice;
  chunking: ChunkOptions;
}

export type ArticleSummary = Omit<Article, 'chunkIds'> & { chunkCount: number };

export interface EmbedderState {
  /** The model loaded in this session, if any. */
  loaded: LoadedModel | null;
  /** Label of the model whose vectors are stored (they are only used with that model). */
  storedModel: { key: string; label: string; dim: number } | null;
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
  done: number;
  total: number;
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

export type CorpusApi = {
  open: { params: void; result: CorpusSummary; progress: never };
  summary: { params: void; result: CorpusSummary; progress: never };
  ingest: { params: { files: IngestFile[] }; result: { report: IngestReport; summary: CorpusSummary }; progress: { done: number; total: number; path: string } };
  removeArticle: { params: { path: string }; result: CorpusSummary; progress: never };
  clear: { params: void; result: CorpusSummary; progress: never };
  chunksOf: { params: { path: string }; result: Chunk[]; progress: never };
  /** The article path of each chunk id (null for an unknown id). */
  chunkArticles: { params: { ids: string[] }; result: (string | null)[]; progress: never };
  setSettings: { params: Partial<CorpusSettings>; result: CorpusSummary; progress: { done: number; total: number; path: string } };
  configure: { params: { allowHub: boolean }; result: void; progress: never };
  loadEmbedder: { params: { source: ModelSource; options: LoadOptions }; result: CorpusSummary; progress: LoadProgress };
  /** Loads the model whose vectors are stored again (after a reload), from the source it was loaded from. */
  loadStoredEmbedder: { params: void; result: CorpusSummary; progress: LoadProgress };
  /** Drops the stored vectors of another model so this one can index (after the user confirmed). */
  adoptEmbedder: { params: void; result: CorpusSummary; progress: { done: number; total: number; path: string } };
  index: { params: void; result: CorpusSummary; progress: IndexProgress };
  search: { params: { query: string; mode: RetrievalMode; k: number }; result: SearchResponse; progress: never };
  /** The documents a model reads for a question (arena, evaluation): retrieval plus oracle handling. */
  retrieveContext: { params: ContextParams; result: ContextResponse; progress: never };
  importQuestions: { params: { text: string; fileName: string }; result: ImportQuestionsReport; progress: never };
  listQuestions: { params: void; result: QAPair[]; progress: never };
  /** Resolves a question file against the corpus without keeping it (an evaluation on a file of its own). */
  resolveQuestions: { params: { text: string; fileName: string }; result: { pairs: QAPair[]; parseErrors: { line: number; message: string }[] }; progress: never };
  saveQuestions: { params: { pairs: QAPair[] }; result: void; progress: never };
  deleteQuestions: { params: { ids: string[] }; result: void; progress: never };
  splitQuestions: { params: Omit<SplitOptions, 'articleOf'>; result: QAPair[]; progress: never };
  /** Builds RAFT examples from the resolved pairs (all, or `pairIds`) and renders the export files. */
  buildDataset: { params: Omit<BuildDatasetParams, 'pairs'> & { pairIds?: string[] }; result: BuiltDataset; progress: never };
  /** Fingerprints of what a build reads (corpus, resolved questions), to tell whether a stored build still matches. */
  datasetInputs: { params: void; result: DatasetInputsSummary; progress: never };
};
