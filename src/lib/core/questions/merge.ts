// Merges newly imported or generated pairs into the existing list by id, so importing the same file twice adds
// nothing and importing an edited file updates the pairs it names.
import type { QAPair } from './types';

/** The merged list (existing order, new pairs appended) and which ids were added, updated or left unchanged. */
export interface MergeResult {
  pairs: QAPair[];
  added: string[];
  updated: string[];
  unchanged: string[];
}

const CONTENT: (keyof QAPair)[] = ['question', 'answer', 'oracleChunkIds', 'quote', 'split', 'splitDrawn', 'tags', 'feedback', 'status', 'problem'];

/**
 * Merges `incoming` into `existing`. An existing resolved pair is never replaced by an unresolved one. A pair whose id exists keeps its createdAt, and keeps its feedback and split
 * (drawn or given) when the incoming pair has none; it is 'unchanged' (the same object) when nothing else differs. Within
 * `incoming`, a later duplicate id wins.
 */
export function mergePairs(existing: readonly QAPair[], incoming: readonly QAPair[]): MergeResult {
  const byId = new Map(existing.map((p) => [p.id, p]));
  const order = existing.map((p) => p.id);
  const result: MergeResult = { pairs: [], added: [], updated: [], unchanged: [] };
  const fresh = new Map<string, QAPair>();
  for (const pair of incoming) fresh.set(pair.id, pair);
  for (const [id, pair] of fresh) {
    const old = byId.get(id);
    if (!old) {
      byId.set(id, pair);
      order.push(id);
      result.added.push(id);
      continue;
    }
    // A pair the user already tied to a chunk (or fixed by hand) is not undone by a file that cannot resolve it.
    if (old.status === 'ok' && pair.status !== 'ok') {
      result.unchanged.push(id);
      continue;
    }
    const merged: QAPair = {
      ...pair,
      createdAt: old.createdAt,
      feedback: pair.feedback ?? old.feedback,
      split: pair.split === 'unassigned' ? old.split : pair.split,
      // A side the file gives is the user's from now on; else the old side keeps its origin (drawn or given).
      splitDrawn: pair.split === 'unassigned' ? old.splitDrawn : undefined,
    };
    if (merged.feedback === undefined) delete merged.feedback;
    if (merged.splitDrawn === undefined) delete merged.splitDrawn;
    if (CONTENT.every((key) => JSON.stringify(merged[key]) === JSON.stringify(old[key]))) {
      result.unchanged.push(id);
      continue;
    }
    byId.set(id, merged);
    result.updated.push(id);
  }
  result.pairs = order.map((id) => byId.get(id)!);
  return result;
}
