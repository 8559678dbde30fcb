// The corpus worker's API: ingest files, keep chunks and vectors in IndexedDB, embed what is
// missing (resumable), and search in three modes. The shapes the page also reads live in
// core/corpus/reports.ts; this file holds the API and the types only the worker side uses.
import type { Chunk, IngestReport } from '../../core/corpus/types';
import type {
  ContextParams,
  ContextResponse,
  CorpusSettings,
  CorpusSummary,
  ImportQuestionsReport,
  IndexProgress,
  IngestFile,
  SearchResponse,
} from '../../core/corpus/reports';
import type { DatasetFiles } from '../../core/formats/dataset-files';
import type { CotInput } from '../../core/formats/manifest';
import type { ExportFormat } from '../../core/formats/raft-formats';
import type { LoadOptions, ModelFile, ModelSource } from '../../core/models';
import type { LoadProgress } from '../../core/model-status';
import type { WorkerSettings } from '../models/protocol';
import type { QAPair } from '../../core/questions/types';
import type { SplitOptions } from '../../core/questions/split';
import type { RaftPair } from '../../core/raft/build';
import type { CotBuildInput } from '../../core/raft/cot';
import type { CotTask } from '../../core/raft/cot-types';
import type { PromptTemplate } from '../../core/raft/prompt';
import type { RaftExample, RaftParams } from '../../core/raft/types';
import type { RetrievalMode } from '../../core/retrieval/types';
import type { CorpusEvent } from '../../core/tabs';

/** A dataset build: the pairs with their candidates' settings, the template and the export format. */
export interface BuildDatasetParams {
  pairs: RaftPair[];
  params: RaftParams;
  template: PromptTemplate;
  format: ExportFormat;
  /** Label of the language model the prompts are meant for, for the manifest. */
  generator?: string | null;
  /**
   * Who writes the chain-of-thought (default: the template), for the manifest; with a model source, the records
   * written so far are applied to the examples whose task key they match.
   */
  cot?: CotInput & Pick<CotBuildInput, 'records'>;
}

export interface BuiltDataset {
  examples: RaftExample[];
  files: DatasetFiles;
  /** Chain-of-thought tasks of the examples that keep their oracle; empty with the template. */
  cotTasks: CotTask[];
  /** The template answer of each task, by task key: what a task falls back to. */
  templateAnswers: Record<string, string>;
}

/** What a dataset build reads, summed up as fingerprints (compared with a stored build's). */
export interface DatasetInputsSummary {
  /** The manifest's corpus fingerprint (every chunk id and content hash). */
  corpusFingerprint: string;
  chunks: number;
  /** The manifest's questions fingerprint of the resolved pairs (question, answer, quote, oracle chunks, split). */
  questionsFingerprint: string;
  /** Resolved pairs: the ones a build turns into examples. */
  questions: number;
}

export type CorpusApi = {
  open: { params: void; result: CorpusSummary; progress: never };
  /** Never resolves until cancelled: streams what the page should hear unasked (blocked, closed, changed in another tab). */
  watch: { params: void; result: void; progress: CorpusEvent };
  summary: { params: void; result: CorpusSummary; progress: never };
  ingest: { params: { files: IngestFile[] }; result: { report: IngestReport; summary: CorpusSummary }; progress: { done: number; total: number; path: string } };
  removeArticle: { params: { path: string }; result: CorpusSummary; progress: never };
  clear: { params: void; result: CorpusSummary; progress: never };
  chunksOf: { params: { path: string }; result: Chunk[]; progress: never };
  /** The article path of each chunk id (null for an unknown id). */
  chunkArticles: { params: { ids: string[] }; result: (string | null)[]; progress: never };
  setSettings: { params: Partial<CorpusSettings>; result: CorpusSummary; progress: { done: number; total: number; path: string } };
  configure: { params: WorkerSettings; result: void; progress: never };
  loadEmbedder: { params: { source: ModelSource; options: LoadOptions }; result: CorpusSummary; progress: LoadProgress };
  /**
   * Loads the model whose vectors are stored again (after a reload), from the source it was loaded from; a
   * folder picked on the device needs `files`, the copy kept in the browser (else it refuses, saying so).
   */
  loadStoredEmbedder: { params: { files?: ModelFile[] } | void; result: CorpusSummary; progress: LoadProgress };
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
