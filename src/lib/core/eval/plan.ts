// The run plan: which arms a run has (systems × distractor counts), in which order the answers are
// asked (model after model, so only one model need be in memory), and the checks on the settings.
import { DEFAULT_GENERATION } from '../generation';
import { ORACLE_HANDLINGS } from '../inference/context';
import { DEFAULT_TEMPLATE } from '../raft/prompt';
import { RETRIEVAL_MODES } from '../retrieval/types';
import { EVAL_ROLES, type Arm, type EvalQuestion, type EvalRole, type EvalSettings, type EvalSystem } from './types';

/** Ranges of the numeric settings, shared by the form and the CLI flags. */
export const EVAL_LIMITS = {
  k: { min: 1, max: 50 },
  distractors: { min: 0, max: 20 },
  sweep: { max: 6 },
  maxNewTokens: { min: 1, max: 4096 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  resamples: { min: 100, max: 100_000 },
} as const;

export const ROLE_TITLES: Record<EvalRole, string> = { base: 'Base model', tuned: 'Fine-tuned model' };

export const DEFAULT_EVAL_SETTINGS: Readonly<EvalSettings> = Object.freeze<EvalSettings>({
  systems: [
    { role: 'base', retrieval: true },
    { role: 'tuned', retrieval: true },
  ],
  mode: 'lexical',
  k: 5,
  oracle: 'retrieved',
  distractors: [0],
  generation: { ...DEFAULT_GENERATION, greedy: true },
  // Strict by default: scoring the whole reply lets a model that only echoes its prompt earn F1.
  missingAnswer: 'zero',
  seed: 7,
  resamples: 2000,
  judge: false,
  template: { ...DEFAULT_TEMPLATE },
});

export function systemId(system: EvalSystem): string {
  return system.retrieval ? system.role : `${system.role}-closed`;
}

export function systemLabel(system: EvalSystem): string {
  return system.retrieval ? ROLE_TITLES[system.role] : `${ROLE_TITLES[system.role]}, no retrieval`;
}

/** What is wrong with the settings, in words the user can act on, or null. */
export function checkSettings(settings: EvalSettings): string | null {
  const { k, distractors, generation, seed, resamples } = settings;
  const whole = (v: number, r: { min: number; max: number }) => Number.isInteger(v) && v >= r.min && v <= r.max;
  if (settings.systems.length === 0) return 'Pick at least one model to evaluate.';
  if (!RETRIEVAL_MODES.includes(settings.mode)) return `The retrieval mode must be one of ${RETRIEVAL_MODES.join(', ')}.`;
  if (!ORACLE_HANDLINGS.includes(settings.oracle)) return `The oracle handling must be one of ${ORACLE_HANDLINGS.join(', ')}.`;
  if (!whole(k, EVAL_LIMITS.k)) return `k (documents retrieved) must be a whole number from ${EVAL_LIMITS.k.min} to ${EVAL_LIMITS.k.max}.`;
  if (distractors.length === 0 || distractors.length > EVAL_LIMITS.sweep.max) return `Give from 1 to ${EVAL_LIMITS.sweep.max} extra-distractor counts.`;
  if (!distractors.every((d) => whole(d, EVAL_LIMITS.distractors))) return `Each extra-distractor count must be a whole number from 0 to ${EVAL_LIMITS.distractors.max}.`;
  if (!whole(generation.maxNewTokens, EVAL_LIMITS.maxNewTokens)) return `Max new tokens must be a whole number from 1 to ${EVAL_LIMITS.maxNewTokens.max}.`;
  if (!whole(seed, EVAL_LIMITS.seed)) return `The seed must be a whole number from 0 to ${EVAL_LIMITS.seed.max}.`;
  if (!whole(resamples, EVAL_LIMITS.resamples)) return `Bootstrap resamples must be a whole number from ${EVAL_LIMITS.resamples.min} to ${EVAL_LIMITS.resamples.max}.`;
  return null;
}

/**
 * "0, 2, 4" → [0, 2, 4] (sorted, duplicates dropped); throws a RangeError naming the bad part.
 * Used by the form and by the CLI's --distractors.
 */
export function parseDistractorList(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) throw new RangeError('Give at least one extra-distractor count, e.g. 0 or 0,2,4.');
  const values = parts.map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < EVAL_LIMITS.distractors.min || value > EVAL_LIMITS.distractors.max) {
      throw new RangeError(`"${part}" is not a whole number from 0 to ${EVAL_LIMITS.distractors.max}.`);
    }
    return value;
  });
  const unique = [...new Set(values)].sort((a, b) => a - b);
  if (unique.length > EVAL_LIMITS.sweep.max) throw new RangeError(`At most ${EVAL_LIMITS.sweep.max} extra-distractor counts per run.`);
  return unique;
}

/**
 * The arms, model after model (base first): for each system with retrieval one arm per distractor
 * count, ascending; a system without retrieval has one arm (it reads no documents).
 */
export function buildArms(settings: EvalSettings): Arm[] {
  const arms: Arm[] = [];
  const sweep = settings.distractors.length > 1;
  for (const role of EVAL_ROLES) {
    for (const system of settings.systems.filter((s) => s.role === role).sort((a, b) => Number(b.retrieval) - Number(a.retrieval))) {
      if (!system.retrieval) {
        if (!arms.some((a) => a.id === `${role}@closed`)) arms.push({ id: `${role}@closed`, role, retrieval: false, k: 0, extraDistractors: 0, label: systemLabel(system) });
        continue;
      }
      for (const extra of [...new Set(settings.distractors)].sort((a, b) => a - b)) {
        const id = `${role}@k${settings.k}+${extra}`;
        if (arms.some((a) => a.id === id)) continue;
        arms.push({ id, role, retrieval: true, k: settings.k, extraDistractors: extra, label: sweep ? `${systemLabel(system)}, +${extra} distractors` : systemLabel(system) });
      }
    }
  }
  return arms;
}

export interface PlanItem {
  key: string;
  arm: Arm;
  question: EvalQuestion;
}

export function recordKey(armId: string, pairId: string): string {
  return `${armId}|${pairId}`;
}

/** Questions in a canonical order (by pair id), so the app and the CLI ask and aggregate alike. */
export function orderQuestions(questions: readonly EvalQuestion[]): EvalQuestion[] {
  return [...questions].sort((a, b) => (a.pairId < b.pairId ? -1 : a.pairId > b.pairId ? 1 : 0));
}

/** Every answer the run asks for: arm after arm (arms are grouped by model), each over every question. */
export function buildPlan(arms: readonly Arm[], questions: readonly EvalQuestion[]): PlanItem[] {
  const ordered = orderQuestions(questions);
  return arms.flatMap((arm) => ordered.map((question) => ({ key: recordKey(arm.id, question.pairId), arm, question })));
}

/** The roles a run needs loaded, in the order it uses them. */
export function rolesOf(arms: readonly Arm[]): EvalRole[] {
  return [...new Set(arms.map((a) => a.role))];
}

/** A fresh copy of the defaults, safe to edit. */
export function defaultEvalSettings(): EvalSettings {
  return structuredClone(DEFAULT_EVAL_SETTINGS) as EvalSettings;
}
