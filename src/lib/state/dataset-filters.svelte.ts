// Filters of the Dataset page's examples table, and the examples they let through (as indices into
// the build's examples, in build order).
import type { DatasetBuild } from './dataset-build';

export type SplitFilter = 'all' | 'train' | 'test';
/** Who wrote the example's reasoning: a model, the template after the model's replies were rejected, or the template. */
export type CotOriginFilter = 'all' | 'model' | 'fallback' | 'template';

export class ExampleFilters {
  /** Only examples whose oracle was left out (the 1 − P share). */
  noOracle = $state(false);
  /** Only examples with problems (a quote not found verbatim, no final answer, too few distractors). */
  problems = $state(false);
  /** Only examples whose prompt exceeds the context budget. */
  overBudget = $state(false);
  split = $state<SplitFilter>('all');
  cotOrigin = $state<CotOriginFilter>('all');

  /** Indices of the examples that pass every filter. */
  readonly visible = $derived.by(() => this.#apply(this.build()));

  constructor(private readonly build: () => DatasetBuild | null) {}

  get active(): boolean {
    return this.noOracle || this.problems || this.overBudget || this.split !== 'all' || this.cotOrigin !== 'all';
  }

  clear(): void {
    this.noOracle = false;
    this.problems = false;
    this.overBudget = false;
    this.split = 'all';
    this.cotOrigin = 'all';
  }

  #apply(build: DatasetBuild | null): number[] {
    if (!build) return [];
    const { noOracle, problems, overBudget, split, cotOrigin } = this;
    const out: number[] = [];
    build.examples.forEach((e, i) => {
      if (noOracle && e.oraclePresent) return;
      if (problems && e.problems.length === 0) return;
      if (overBudget && !build.figures[i].overBudget) return;
      if (split !== 'all' && e.split !== split) return;
      if (cotOrigin !== 'all' && (e.cot?.origin ?? 'template') !== cotOrigin) return;
      out.push(i);
    });
    return out;
  }
}
