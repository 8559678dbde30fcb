// The Dataset page's own small database, apart from the corpus and evaluation databases so no schema waits
// on another: the last build (its examples, recipe and the fingerprints of its inputs) and the written
// chain-of-thought records by key, each saved as soon as it is written so a reload loses none.
// Store names and the build's key are persisted in users' browsers: DO NOT CHANGE WITHOUT A MIGRATION
// (bump DATASET_DB_VERSION; `upgrade` only creates what is missing).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DatasetFiles } from '../core/formats/dataset-files';
import type { ExportFormat } from '../core/formats/raft-formats';
import type { CotRecord, CotSettings, CotSource, CotTask } from '../core/raft/cot-types';
import type { PromptTemplate } from '../core/raft/prompt';
import type { RaftExample, RaftParams } from '../core/raft/types';
import { connectionHooks, type OpenHooks } from './db';

export const DATASET_DB_NAME = 'raft-playground-dataset';
/** 1: the last build and the chain-of-thought records. */
export const DATASET_DB_VERSION = 1;
/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: the one stored build lives under this key. */
export const LAST_BUILD_KEY = 'last';

/** What a build's inputs were, to tell on the next start whether they changed since. */
export interface DatasetInputs {
  corpusFingerprint: string;
  chunks: number;
  questionsFingerprint: string;
  /** Resolved question pairs (the ones that become examples). */
  questions: number;
}

/** Who writes a build's chain-of-thought, and how. */
export interface CotRecipe {
  source: CotSource;
  /** The writer model's label; null for the template. */
  model: string | null;
  /** Null for the template. */
  settings: CotSettings | null;
}

/** How the chain-of-thought job of a build stands: 'running' after a reload means it was interrupted. */
export type CotJobStatus = 'idle' | 'running' | 'paused' | 'cancelled' | 'done';

export interface StoredBuild {
  id: typeof LAST_BUILD_KEY;
  examples: RaftExample[];
  params: RaftParams;
  template: PromptTemplate;
  format: ExportFormat;
  cot: CotRecipe;
  /** The build's chain-of-thought tasks, for a job resumed after a reload: one per example that keeps its oracle (none with the template). */
  cotTasks: CotTask[];
  /** The template answer of each task, by task key (what a task falls back to). */
  templateAnswers: Record<string, string>;
  /** Tasks that had a record when the worker built `examples` and `files` (more now: apply them, rebuild the files). */
  cotApplied: number;
  cotJob: CotJobStatus;
  /** Fingerprints of the corpus and questions it was built from; null when they could not be read at build time. */
  inputs: DatasetInputs | null;
  /** Export files of the formats built so far (emptied when records written since are applied). */
  files: Partial<Record<ExportFormat, DatasetFiles>>;
  builtAt: number;
}

export interface DatasetDB extends DBSchema {
  builds: { key: string; value: StoredBuild };
  cot: { key: string; value: CotRecord };
}

export type DatasetDatabase = IDBPDatabase<DatasetDB>;

export function openDatasetDatabase(name = DATASET_DB_NAME, hooks: OpenHooks = {}): Promise<DatasetDatabase> {
  return openDB<DatasetDB>(name, DATASET_DB_VERSION, {
    upgrade(db) {
      // NOTE: only creates what is missing, so it is safe to rerun at any version.
      if (!db.objectStoreNames.contains('builds')) db.createObjectStore('builds', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('cot')) db.createObjectStore('cot', { keyPath: 'key' });
    },
    ...connectionHooks(hooks),
  });
}
