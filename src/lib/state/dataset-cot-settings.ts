// The Dataset page's chain-of-thought settings as kept in localStorage (who writes it, the answer-F1
// threshold, attempts, the writer prompt, requests at once), so a reload keeps them and a paused job
// resumes with the same writer. The endpoint's URL, model and key live with the Questions page's settings.
import { ENDPOINT_CONCURRENCY } from '../config/tunables';
import { COT_LIMITS, DEFAULT_COT_PROMPT, DEFAULT_COT_SETTINGS } from '../core/raft/cot';
import { COT_SOURCES, type CotPrompt, type CotSource } from '../core/raft/cot-types';
import { parseStoredObject } from './storage';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: stored settings are read back under this key. */
export const COT_SETTINGS_KEY = 'raft-playground:dataset-cot:v1';

export interface StoredCotSettings {
  source: CotSource;
  minAnswerF1: number;
  attempts: number;
  maxNewTokens: number;
  prompt: CotPrompt;
  concurrency: number;
}

export function defaultCotSettings(): StoredCotSettings {
  const d = DEFAULT_COT_SETTINGS;
  return { source: 'template', minAnswerF1: d.minAnswerF1, attempts: d.attempts, maxNewTokens: d.generation.maxNewTokens, prompt: { ...DEFAULT_COT_PROMPT }, concurrency: ENDPOINT_CONCURRENCY.default };
}

/** Reads stored settings; every missing or invalid field keeps its default. */
export function parseCotSettings(raw: string | null): StoredCotSettings {
  const d = defaultCotSettings();
  const s = parseStoredObject(raw);
  const inRange = (v: unknown, r: { min: number; max: number }, integer: boolean) => typeof v === 'number' && v >= r.min && v <= r.max && (!integer || Number.isInteger(v));
  const p = (s.prompt ?? {}) as Record<string, unknown>;
  return {
    source: COT_SOURCES.includes(s.source as CotSource) ? (s.source as CotSource) : d.source,
    minAnswerF1: inRange(s.minAnswerF1, COT_LIMITS.minAnswerF1, false) ? (s.minAnswerF1 as number) : d.minAnswerF1,
    attempts: inRange(s.attempts, COT_LIMITS.attempts, true) ? (s.attempts as number) : d.attempts,
    maxNewTokens: inRange(s.maxNewTokens, COT_LIMITS.maxNewTokens, true) ? (s.maxNewTokens as number) : d.maxNewTokens,
    prompt: { system: typeof p.system === 'string' ? p.system : d.prompt.system, user: typeof p.user === 'string' ? p.user : d.prompt.user },
    concurrency: inRange(s.concurrency, ENDPOINT_CONCURRENCY, true) ? (s.concurrency as number) : d.concurrency,
  };
}

/** Saves the settings; a full or blocked storage keeps them for this visit only. */
export function saveCotSettings(storage: Storage | null, settings: StoredCotSettings): void {
  try {
    storage?.setItem(COT_SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // The settings still apply until the page is closed.
  }
}
