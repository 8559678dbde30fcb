// The Dataset page's recipe as the user edits it: RAFT parameters (clamped to their ranges), prompt template and
// export format, saved to localStorage on every change (dataset-recipe.ts reads and writes the stored form).
// DatasetState builds from it.
import { RECIPE_LIMITS } from '../config/tunables';
import type { ExportFormat } from '../core/formats/raft-formats';
import { checkTemplate, DEFAULT_TEMPLATE, type PromptTemplate } from '../core/raft/prompt';
import type { RaftParams } from '../core/raft/types';
import { parseRecipe, RECIPE_KEY, saveRecipe } from './dataset-recipe';

export class DatasetRecipeState {
  params: RaftParams = $state() as RaftParams;
  template: PromptTemplate = $state() as PromptTemplate;
  format: ExportFormat = $state() as ExportFormat;

  /** `storage` keeps the recipe across reloads (null: not kept, e.g. in tests). */
  constructor(storage: Storage | null) {
    const stored = parseRecipe(storage?.getItem(RECIPE_KEY) ?? null);
    this.params = stored.params;
    this.template = stored.template;
    this.format = stored.format;
    // Saved on every change; the class lives as long as the app.
    $effect.root(() => {
      $effect(() => saveRecipe(storage, { params: $state.snapshot(this.params), template: $state.snapshot(this.template), format: this.format }));
    });
  }

  /** What is wrong with the edited prompt template, or null. */
  get templateError(): string | null {
    return checkTemplate(this.template);
  }

  get templateEdited(): boolean {
    return JSON.stringify(this.template) !== JSON.stringify(DEFAULT_TEMPLATE);
  }

  /** k, clamped to 0..20; a mixed recipe's hard count follows (⌈k/2⌉ by default, never above k). */
  setDistractors(value: number): void {
    if (!Number.isFinite(value)) return;
    const k = clamp(Math.round(value), RECIPE_LIMITS.distractors);
    const followsDefault = this.params.hardCount === Math.ceil(this.params.distractors / 2);
    this.params.distractors = k;
    this.params.hardCount = followsDefault ? Math.ceil(k / 2) : Math.min(this.params.hardCount, k);
  }

  setPOracle(value: number): void {
    if (Number.isFinite(value)) this.params.pOracle = clamp(Math.round(value * 100) / 100, RECIPE_LIMITS.pOracle);
  }

  setHardCount(value: number): void {
    if (Number.isFinite(value)) this.params.hardCount = clamp(Math.round(value), { min: 0, max: this.params.distractors });
  }

  setSeed(value: number): void {
    if (Number.isFinite(value)) this.params.seed = clamp(Math.round(value), RECIPE_LIMITS.seed);
  }

  setContextBudget(value: number): void {
    if (Number.isFinite(value)) this.params.contextBudget = clamp(Math.round(value), RECIPE_LIMITS.contextBudget);
  }

  resetTemplate(): void {
    this.template = { ...DEFAULT_TEMPLATE };
  }
}

function clamp(value: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, value));
}
