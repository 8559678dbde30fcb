// The Dataset page's recipe (parameters, prompt template, export format) as kept in localStorage, so a
// reload keeps what the user set: the arena and the evaluation prompt with this same template.
import { RECIPE_LIMITS } from '../config/tunables';
import { EXPORT_FORMATS, type ExportFormat } from '../core/formats/raft-formats';
import { DEFAULT_TEMPLATE, type PromptTemplate } from '../core/raft/prompt';
import { DEFAULT_RAFT_PARAMS, type DistractorStrategy, type RaftParams } from '../core/raft/types';
import { RETRIEVAL_MODES, type RetrievalMode } from '../core/retrieval/types';
import { parseStoredObject } from './storage';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: stored recipes are read back under this key. */
export const RECIPE_KEY = 'raft-playground:dataset-recipe:v1';

export interface StoredRecipe {
  params: RaftParams;
  template: PromptTemplate;
  format: ExportFormat;
}

const STRATEGIES: readonly DistractorStrategy[] = ['hard', 'random', 'mixed'];

/** Reads a stored recipe; every missing or invalid field keeps its default. */
export function parseRecipe(raw: string | null): StoredRecipe {
  const stored = parseStoredObject(raw);
  const p = (stored.params ?? {}) as Record<string, unknown>;
  const t = (stored.template ?? {}) as Record<string, unknown>;
  type Range = { min: number; max: number };
  const num = (v: unknown, { min, max }: Range, fallback: number) => (typeof v === 'number' && v >= min && v <= max ? v : fallback);
  const int = (v: unknown, range: Range, fallback: number) => (Number.isInteger(v) ? num(v, range, fallback) : fallback);
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const d = DEFAULT_RAFT_PARAMS;
  const distractors = int(p.distractors, RECIPE_LIMITS.distractors, d.distractors);
  return {
    params: {
      distractors,
      pOracle: num(p.pOracle, RECIPE_LIMITS.pOracle, d.pOracle),
      strategy: STRATEGIES.includes(p.strategy as DistractorStrategy) ? (p.strategy as DistractorStrategy) : d.strategy,
      hardCount: int(p.hardCount, { min: 0, max: distractors }, Math.min(d.hardCount, distractors)),
      excludeOracleArticle: typeof p.excludeOracleArticle === 'boolean' ? p.excludeOracleArticle : d.excludeOracleArticle,
      retrievalMode: RETRIEVAL_MODES.includes(p.retrievalMode as RetrievalMode) ? (p.retrievalMode as RetrievalMode) : d.retrievalMode,
      seed: int(p.seed, RECIPE_LIMITS.seed, d.seed),
      contextBudget: int(p.contextBudget, RECIPE_LIMITS.contextBudget, d.contextBudget),
    },
    template: {
      system: text(t.system, DEFAULT_TEMPLATE.system),
      document: text(t.document, DEFAULT_TEMPLATE.document),
      user: text(t.user, DEFAULT_TEMPLATE.user),
    },
    format: EXPORT_FORMATS.includes(stored.format as ExportFormat) ? (stored.format as ExportFormat) : 'chat',
  };
}

/** Saves the recipe; a full or blocked storage keeps it for this visit only. */
export function saveRecipe(storage: Storage | null, recipe: StoredRecipe): void {
  try {
    storage?.setItem(RECIPE_KEY, JSON.stringify(recipe));
  } catch {
    // The recipe still applies until the page is closed.
  }
}
