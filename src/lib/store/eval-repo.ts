// Reads and writes evaluation runs and their records; each write is one transaction that has finished
// (committed) when the promise resolves.
import type { EvalRecord, EvalRun } from '../core/eval/types';
import type { EvalDatabase, StoredRecord } from './eval-db';

/** A run with the number of answers it holds, for the list of past runs. */
export interface RunListing {
  run: EvalRun;
  answered: number;
}

export class EvalRepo {
  constructor(private readonly db: EvalDatabase) {}

  /** Newest first. */
  async listRuns(): Promise<RunListing[]> {
    const runs = (await this.db.getAllFromIndex('runs', 'by-created')).reverse();
    const counts = await Promise.all(runs.map((r) => this.db.countFromIndex('records', 'by-run', r.id)));
    return runs.map((run, i) => ({ run, answered: counts[i] }));
  }

  getRun(id: string): Promise<EvalRun | undefined> {
    return this.db.get('runs', id);
  }

  async putRun(run: EvalRun): Promise<void> {
    await this.db.put('runs', run);
  }

  /** The record and the run's updated time, together. */
  async putRecord(runId: string, record: EvalRecord, updatedAt: number): Promise<void> {
    const tx = this.db.transaction(['records', 'runs'], 'readwrite');
    const stored: StoredRecord = { ...record, runId };
    const runs = tx.objectStore('runs');
    const run = await runs.get(runId);
    await Promise.all([tx.objectStore('records').put(stored), run ? runs.put({ ...run, updatedAt }) : undefined, tx.done]);
  }

  async records(runId: string): Promise<EvalRecord[]> {
    const stored = await this.db.getAllFromIndex('records', 'by-run', runId);
    return stored.map(({ runId: _runId, ...record }) => record);
  }

  async deleteRun(runId: string): Promise<void> {
    const tx = this.db.transaction(['records', 'runs'], 'readwrite');
    const records = tx.objectStore('records');
    const keys = await records.index('by-run').getAllKeys(runId);
    await Promise.all([...keys.map((k) => records.delete(k)), tx.objectStore('runs').delete(runId), tx.done]);
  }
}
