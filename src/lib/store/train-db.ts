// The Fine-tune page's own small database: the one training run the page holds, with its latest checkpoint
// (adapters and AdamW state, so a paused or interrupted run resumes after a reload) and, once finished, its
// output files (so the fine-tuned model survives a reload too). Store name and key are persisted in users'
// browsers: DO NOT CHANGE WITHOUT A MIGRATION (bump TRAIN_DB_VERSION; `upgrade` only creates what is missing).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { TrainCheckpoint, TrainOutput } from '../core/train/run-types';
import type { TrainSettings } from '../core/train/settings';
import { connectionHooks, type OpenHooks } from './db';

export const TRAIN_DB_NAME = 'raft-playground-training';
/** 1: the current run. */
export const TRAIN_DB_VERSION = 1;
/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: the one stored run lives under this key. */
export const CURRENT_RUN_KEY = 'current';

/** 'running' after a reload means the tab closed mid-run: it resumes from its checkpoint like a paused one. */
export type StoredRunStatus = 'running' | 'paused' | 'done';

export interface StoredRun {
  id: typeof CURRENT_RUN_KEY;
  status: StoredRunStatus;
  /** What the run trains on: a resume with other inputs would mix two runs. */
  fingerprint: string;
  /** The demo base, or the base model loaded in Models. */
  base: 'demo' | 'loaded';
  baseLabel: string;
  settings: TrainSettings;
  device: 'wasm' | 'webgpu';
  checkpoint: TrainCheckpoint | null;
  output: TrainOutput | null;
  updatedAt: number;
}

export interface TrainDB extends DBSchema {
  runs: { key: string; value: StoredRun };
}

export type TrainDatabase = IDBPDatabase<TrainDB>;

export function openTrainDatabase(name = TRAIN_DB_NAME, hooks: OpenHooks = {}): Promise<TrainDatabase> {
  return openDB<TrainDB>(name, TRAIN_DB_VERSION, {
    upgrade(db) {
      // NOTE: only creates what is missing, so it is safe to rerun at any version.
      if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
    },
    ...connectionHooks(hooks),
  });
}

/** The page's run, saved and read back whole. */
export interface TrainStore {
  load(): Promise<StoredRun | null>;
  save(run: StoredRun): Promise<void>;
  clear(): Promise<void>;
}

export function trainStore(open: () => Promise<TrainDatabase> = () => openTrainDatabase()): TrainStore {
  let db: Promise<TrainDatabase> | null = null;
  const database = () => (db ??= open().catch((error) => ((db = null), Promise.reject(error))));
  return {
    async load() {
      return (await (await database()).get('runs', CURRENT_RUN_KEY)) ?? null;
    },
    async save(run) {
      await (await database()).put('runs', run);
    },
    async clear() {
      await (await database()).delete('runs', CURRENT_RUN_KEY);
    },
  };
}
