// Reads and writes the Dataset page's last build and its chain-of-thought records; each write is one
// transaction that has finished (committed) when the promise resolves.
import type { CotRecord } from '../core/raft/cot-types';
import { LAST_BUILD_KEY, type DatasetDatabase, type StoredBuild } from './dataset-db';

export class DatasetRepo {
  constructor(private readonly db: DatasetDatabase) {}

  lastBuild(): Promise<StoredBuild | undefined> {
    return this.db.get('builds', LAST_BUILD_KEY);
  }

  /** Replaces the last build (there is only one). */
  async putBuild(build: StoredBuild): Promise<void> {
    await this.db.put('builds', build);
  }

  /** Every written record, by key (records of older builds stay: a rebuild with the same inputs reuses them). */
  async cotRecords(): Promise<Map<string, CotRecord>> {
    const records = await this.db.getAll('cot');
    return new Map(records.map((r) => [r.key, r]));
  }

  async putCotRecord(record: CotRecord): Promise<void> {
    await this.db.put('cot', record);
  }

  close(): void {
    this.db.close();
  }
}
