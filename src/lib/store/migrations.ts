// Record migrations between schema versions: pure functions from an old record to the new one, run
// by db.ts `upgrade` inside the version-change transaction and tested against hand-built old records.
import type { VectorBatchRecord } from './schema';

/** A vector record as versions 1 and 2 stored it: one article per record. */
export interface VectorBatchRecordV2 extends Omit<VectorBatchRecord, 'articlePaths'> {
  articlePath: string;
}

/** Version 3: the single article becomes a list, so compacted records can hold many. */
export function vectorRecordV3({ articlePath, ...rest }: VectorBatchRecordV2): VectorBatchRecord {
  return { ...rest, articlePaths: [articlePath] };
}
