// The evaluation's own small database, apart from the corpus database so neither schema waits on the
// other: runs (settings, arms, question snapshot, manifest, status) and one record per answer, written
// as each answer finishes so a reload loses nothing. Store and index names are persisted in users'
// browsers: DO NOT CHANGE WITHOUT A MIGRATION (bump EVAL_DB_VERSION; `upgrade` only creates what is missing).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { EvalRecord, EvalRun } from '../core/eval/types';
import { connectionHooks, type OpenHooks } from './db';

export const EVAL_DB_NAME = 'raft-playground-eval';
/** 1: runs and records. */
export const EVAL_DB_VERSION = 1;

/** One answer of a run, keyed by [runId, key]. */
export interface StoredRecord extends EvalRecord {
  runId: string;
}

export interface EvalDB extends DBSchema {
  runs: { key: string; value: EvalRun; indexes: { 'by-created': number } };
  records: { key: [string, string]; value: StoredRecord; indexes: { 'by-run': string } };
}

export type EvalDatabase = IDBPDatabase<EvalDB>;

export function openEvalDatabase(name = EVAL_DB_NAME, hooks: OpenHooks = {}): Promise<EvalDatabase> {
  return openDB<EvalDB>(name, EVAL_DB_VERSION, {
    upgrade(db) {
      // NOTE: only creates what is missing, so it is safe to rerun at any version.
      if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
      if (!db.objectStoreNames.contains('records')) db.createObjectStore('records', { keyPath: ['runId', 'key'] }).createIndex('by-run', 'runId');
    },
    ...connectionHooks(hooks),
  });
}
