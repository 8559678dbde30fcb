// Seeded train/test split of question pairs, optionally keeping all pairs of one article on the same side so no
// article's facts leak from training into evaluation.
import { createRng } from '../rng';
import type { PairSplit, QAPair } from './types';

/** How to split: the test share, the seed, and whether to keep each article's pairs together. */
export interface SplitOptions {
  /** Share of pairs for the test split, 0..1. */
  testFraction: number;
  /** Same pairs + same seed → same split. Integer. */
  seed: number;
  /** Keep all pairs of an article together (no leakage); the test share is then as close as the groups allow. */
  byArticle: boolean;
  /** The article a pair belongs to (used only with `byArticle`). */
  articleOf: (pair: QAPair) => string;
}

/**
 * Returns the pairs (in input order, as new objects) with split 'train' or 'test'. The test side gets
 * round(testFraction × n) pairs, or with `byArticle` the reachable count of whole articles nearest to it; which
 * pairs (or articles) go to test is drawn with the seed and does not depend on input order.
 * @throws RangeError when testFraction is outside 0..1.
 */
export function assignSplit(pairs: readonly QAPair[], options: SplitOptions): QAPair[] {
  const { testFraction, seed, byArticle, articleOf } = options;
  if (!(testFraction >= 0 && testFraction <= 1)) throw new RangeError(`testFraction must be from 0 to 1; got ${testFraction}`);
  // 1. Groups: one per article, or one per pair; sorted by key so input order does not matter.
  const groups = new Map<string, number>();
  for (const pair of pairs) {
    const key = byArticle ? `a:${articleOf(pair)}` : `p:${pair.id}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const keys = createRng(seed).fork('split').shuffle([...groups.keys()].sort());
  // 2. Subset sum over the shuffled groups: the reachable test size nearest the target, and the groups reaching it.
  const target = Math.round(testFraction * pairs.length);
  const testKeys = pickGroups(keys.map((key) => groups.get(key)!), target).map((k) => keys[k]);
  const test = new Set(testKeys);
  return pairs.map((pair) => {
    const key = byArticle ? `a:${articleOf(pair)}` : `p:${pair.id}`;
    const split: PairSplit = test.has(key) ? 'test' : 'train';
    return { ...pair, split };
  });
}

/**
 * Indexes of groups whose sizes sum to the reachable total nearest `target` (ties: the smaller total). Takes groups
 * greedily in list order while they fit, which spreads the choice over the shuffled groups; only when that misses
 * the nearest reachable total does a subset-sum search (O(groups × total) time, O(total) memory) pick the groups.
 */
function pickGroups(sizes: readonly number[], target: number): number[] {
  const greedy: number[] = [];
  let sum = 0;
  sizes.forEach((size, g) => {
    if (sum + size > target) return;
    sum += size;
    greedy.push(g);
  });
  if (sum === target) return greedy;
  const total = sizes.reduce((all, size) => all + size, 0);
  // NOTE: firstReach[s] is the first group (in list order) with which total s became reachable; following it back
  // visits strictly earlier groups, so no group is used twice.
  const firstReach = new Int32Array(total + 1).fill(-1);
  const reachable = new Uint8Array(total + 1);
  reachable[0] = 1;
  sizes.forEach((size, g) => {
    for (let s = total; s >= size; s--) {
      if (!reachable[s] && reachable[s - size]) {
        reachable[s] = 1;
        firstReach[s] = g;
      }
    }
  });
  let best = 0;
  for (let s = 0; s <= total; s++) if (reachable[s] && Math.abs(s - target) < Math.abs(best - target)) best = s;
  if (Math.abs(sum - target) <= Math.abs(best - target)) return greedy;
  const picked: number[] = [];
  for (let s = best; s > 0; s -= sizes[firstReach[s]]) picked.push(firstReach[s]);
  return picked;
}

/** How many pairs are in each split. */
export function splitCounts(pairs: readonly QAPair[]): Record<PairSplit, number> & { total: number } {
  const counts = { train: 0, test: 0, unassigned: 0, total: pairs.length };
  for (const pair of pairs) counts[pair.split]++;
  return counts;
}
