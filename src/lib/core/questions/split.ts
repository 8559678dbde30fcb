// Seeded train/test split of question pairs, optionally keeping all pairs of one article on the same side so no
// article's facts leak from training into evaluation. A side given with a pair is the user's and is never redrawn.
import { createRng } from '../rng';
import type { PairSplit, QAPair } from './types';

/** How to split: the test share, the seed, and whether to keep each article's pairs together. */
export interface SplitOptions {
  /** Share of the drawn pairs for the test split, 0..1. */
  testFraction: number;
  /** Same pairs + same seed → same split. Integer. */
  seed: number;
  /** Keep all pairs of an article together (no leakage); the test share is then as close as the groups allow. */
  byArticle: boolean;
  /** The article a pair belongs to (used only with `byArticle`). */
  articleOf: (pair: QAPair) => string;
  /**
   * Also draw again the pairs an earlier seeded split placed (`splitDrawn`). Default false: only unassigned pairs
   * are drawn. A split given with the pair (import file, or set by hand) is never changed either way.
   */
  redraw?: boolean;
}

/** Whether the split draws this pair: it has no side yet, or (with `redraw`) an earlier draw gave it its side. */
export function isDrawable(pair: Pick<QAPair, 'split' | 'splitDrawn'>, redraw = false): boolean {
  return pair.split === 'unassigned' || (redraw && pair.splitDrawn === true);
}

/**
 * Returns the pairs (in input order, as new objects). A pair with a given side keeps it (the user's); the others
 * get 'train' or 'test' and `splitDrawn: true`. The test side gets round(testFraction × drawn pairs), or with
 * `byArticle` the reachable count of whole articles nearest to it; an article whose given pairs all sit on one
 * side takes its drawn pairs there (no leakage; they count toward the target). Which pairs (or articles) go to
 * test is drawn with the seed and does not depend on input order.
 * @throws RangeError when testFraction is outside 0..1.
 */
export function assignSplit(pairs: readonly QAPair[], options: SplitOptions): QAPair[] {
  const { testFraction, seed, byArticle, articleOf, redraw = false } = options;
  if (!(testFraction >= 0 && testFraction <= 1)) throw new RangeError(`testFraction must be from 0 to 1; got ${testFraction}`);
  const keyOf = (pair: QAPair) => (byArticle ? `a:${articleOf(pair)}` : `p:${pair.id}`);
  // 1. The side each article's given pairs take ('both': the user split the article; its drawn pairs are drawn).
  const givenSide = new Map<string, PairSplit | 'both'>();
  if (byArticle) {
    for (const pair of pairs) {
      if (isDrawable(pair, redraw)) continue;
      const key = keyOf(pair);
      const side = givenSide.get(key);
      givenSide.set(key, side === undefined || side === pair.split ? pair.split : 'both');
    }
  }
  // 2. Groups of drawn pairs: one per article, or one per pair; sorted by key so input order does not matter.
  const groups = new Map<string, number>();
  let drawn = 0;
  let forcedTest = 0;
  for (const pair of pairs) {
    if (!isDrawable(pair, redraw)) continue;
    drawn++;
    const key = keyOf(pair);
    const side = givenSide.get(key);
    if (side === 'test') forcedTest++;
    else if (side !== 'train') groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const keys = createRng(seed).fork('split').shuffle([...groups.keys()].sort());
  // 3. Subset sum over the shuffled groups: the reachable test size nearest the target, and the groups reaching it.
  const target = Math.max(0, Math.round(testFraction * drawn) - forcedTest);
  const test = new Set(pickGroups(keys.map((key) => groups.get(key)!), target).map((k) => keys[k]));
  return pairs.map((pair) => {
    if (!isDrawable(pair, redraw)) return { ...pair };
    const key = keyOf(pair);
    const side = givenSide.get(key);
    const split: PairSplit = side === 'test' || side === 'train' ? side : test.has(key) ? 'test' : 'train';
    return { ...pair, split, splitDrawn: true };
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

/** How many pairs are in each split, and how many of them have a side given with the pair (not drawn). */
export function splitCounts(pairs: readonly QAPair[]): Record<PairSplit, number> & { total: number; given: number } {
  const counts = { train: 0, test: 0, unassigned: 0, total: pairs.length, given: 0 };
  for (const pair of pairs) {
    counts[pair.split]++;
    if (pair.split !== 'unassigned' && !pair.splitDrawn) counts.given++;
  }
  return counts;
}
