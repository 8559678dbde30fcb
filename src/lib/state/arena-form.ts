// The arena's form (question, retrieval, distractor stress, generation settings) and the last run as they
// are kept in localStorage: types, limits, defaults, and a reader that keeps defaults for anything missing
// or invalid. Pure, so it is tested in Node.
import type { LanguageModelRole } from '../config/models';
import { ARENA_LIMITS } from '../config/tunables';
import { DEFAULT_CONTEXT, ORACLE_HANDLINGS, type ContextDocument, type ContextOptions, type OracleHandling } from '../core/inference/context';
import { DEFAULT_GENERATION, type GenerationResult, type GenerationSettings, type StopReason } from '../core/generation';
import type { PromptTemplate } from '../core/raft/prompt';
import { RETRIEVAL_MODES, type RetrievalMode } from '../core/retrieval/types';
import { parseStoredObject } from './storage';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: the stored arena is read back under this key. */
export const ARENA_KEY = 'raft-playground:arena:v1';

/** The question-set pair a question came from: its oracle chunk is known and marked. */
export interface LinkedPair {
  id: string;
  /** The pair's own question (the box may hold an edited one). */
  question: string;
  /** The pair's reference answer ('' when it has none, or not read yet). */
  answer: string;
}

export interface ArenaForm {
  question: string;
  pair: LinkedPair | null;
  mode: RetrievalMode;
  context: ContextOptions;
  settings: GenerationSettings;
}

/** Where one model's answer stands. `interrupted`: the page was reloaded while it ran. */
export type AnswerStatus = 'idle' | 'waiting' | 'running' | 'done' | 'stopped' | 'unavailable' | 'error' | 'interrupted';

export interface StoredAnswer {
  status: AnswerStatus;
  text: string;
  result: GenerationResult | null;
  /** What went wrong, or why this side cannot answer ("Load the base model on the Models page first."). */
  error: string;
  /** Label of the model that answered. */
  model: string | null;
}

/** One question asked of both models: what they were given, and what they answered. */
export interface StoredRun {
  question: string;
  pair: LinkedPair | null;
  mode: RetrievalMode;
  context: ContextOptions;
  settings: GenerationSettings;
  template: PromptTemplate;
  documents: ContextDocument[];
  retrieval: { searchMs: number; embedMs: number } | null;
  answers: Record<LanguageModelRole, StoredAnswer>;
}

export interface StoredArena {
  form: ArenaForm;
  last: StoredRun | null;
}

export const DEFAULT_FORM: Readonly<ArenaForm> = Object.freeze({
  question: '',
  pair: null,
  mode: 'lexical',
  context: { ...DEFAULT_CONTEXT },
  settings: { ...DEFAULT_GENERATION },
});

export function clampTo(value: number, { min, max }: { min: number; max: number }, integer = true): number {
  const v = integer ? Math.round(value) : value;
  return Math.min(max, Math.max(min, v));
}

/** `change` applied to `context`, each field clamped to its range; invalid numbers keep the old value. */
export function mergeContext(context: ContextOptions, change: Partial<ContextOptions>): ContextOptions {
  const num = (value: unknown, old: number, limits: { min: number; max: number }) =>
    typeof value === 'number' && Number.isFinite(value) ? clampTo(value, limits) : old;
  return {
    k: num(change.k, context.k, ARENA_LIMITS.k),
    extraDistractors: num(change.extraDistractors, context.extraDistractors, ARENA_LIMITS.extraDistractors),
    oracle: ORACLE_HANDLINGS.includes(change.oracle as OracleHandling) ? (change.oracle as OracleHandling) : context.oracle,
  };
}

/** `change` applied to `settings`, clamped; invalid values keep the old ones. */
export function mergeSettings(settings: GenerationSettings, change: Partial<GenerationSettings>): GenerationSettings {
  const num = (value: unknown, old: number, limits: { min: number; max: number }, integer: boolean) =>
    typeof value === 'number' && Number.isFinite(value) ? clampTo(value, limits, integer) : old;
  return {
    maxNewTokens: num(change.maxNewTokens, settings.maxNewTokens, ARENA_LIMITS.maxNewTokens, true),
    temperature: num(change.temperature, settings.temperature, ARENA_LIMITS.temperature, false),
    topP: num(change.topP, settings.topP, ARENA_LIMITS.topP, false),
    greedy: typeof change.greedy === 'boolean' ? change.greedy : settings.greedy,
  };
}

type Loose<T> = { [K in keyof T]?: unknown };
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

function readPair(value: unknown): LinkedPair | null {
  if (!isObject(value) || typeof value.id !== 'string' || !value.id) return null;
  return { id: value.id, question: str(value.question), answer: str(value.answer) };
}

function readMode(value: unknown): RetrievalMode {
  return RETRIEVAL_MODES.includes(value as RetrievalMode) ? (value as RetrievalMode) : DEFAULT_FORM.mode;
}

export function readForm(value: unknown): ArenaForm {
  const form: Loose<ArenaForm> = isObject(value) ? value : {};
  return {
    question: str(form.question),
    pair: readPair(form.pair),
    mode: readMode(form.mode),
    context: mergeContext(DEFAULT_FORM.context, isObject(form.context) ? form.context : {}),
    settings: mergeSettings(DEFAULT_FORM.settings, isObject(form.settings) ? form.settings : {}),
  };
}

const SETTLED: AnswerStatus[] = ['done', 'stopped', 'unavailable', 'error'];
const STOPS: StopReason[] = ['eos', 'max-tokens', 'user'];

function readResult(value: unknown): GenerationResult | null {
  if (!isObject(value)) return null;
  const numbers = ['tokens', 'timeToFirstTokenMs', 'totalMs', 'tokensPerSecond'] as const;
  if (typeof value.text !== 'string' || numbers.some((key) => typeof value[key] !== 'number')) return null;
  if (!STOPS.includes(value.stoppedBy as StopReason)) return null;
  return value as unknown as GenerationResult;
}

function readAnswer(value: unknown): StoredAnswer {
  const a: Loose<StoredAnswer> = isObject(value) ? value : {};
  const status = a.status as AnswerStatus;
  // An answer still streaming when the page went away cannot resume: it is shown as interrupted.
  const known = SETTLED.includes(status) ? status : status === 'waiting' || status === 'running' || status === 'interrupted' ? 'interrupted' : 'idle';
  return { status: known, text: str(a.text), result: readResult(a.result), error: str(a.error), model: typeof a.model === 'string' ? a.model : null };
}

function readDocument(value: unknown): ContextDocument | null {
  if (!isObject(value)) return null;
  const { chunkId, text, title, articlePath, role } = value;
  if (typeof chunkId !== 'string' || typeof text !== 'string' || (role !== 'oracle' && role !== 'distractor')) return null;
  const headingPath = Array.isArray(value.headingPath) ? value.headingPath.filter((h): h is string => typeof h === 'string') : [];
  const numOrNull = (v: unknown) => (typeof v === 'number' ? v : null);
  const f = value.fused;
  const fused = isObject(f) ? { fused: { dense: numOrNull(f.dense), lexical: numOrNull(f.lexical) } } : {};
  return { chunkId, text, role, title: str(title), articlePath: str(articlePath), headingPath, score: numOrNull(value.score), rank: numOrNull(value.rank), injected: value.injected === true, ...fused };
}

function readRun(value: unknown): StoredRun | null {
  if (!isObject(value)) return null;
  const t = value.template;
  if (!isObject(t) || typeof t.system !== 'string' || typeof t.document !== 'string' || typeof t.user !== 'string') return null;
  const form = readForm(value);
  const answers: Loose<StoredRun['answers']> = isObject(value.answers) ? value.answers : {};
  const documents = Array.isArray(value.documents) ? value.documents.map(readDocument) : [];
  if (documents.some((d) => d === null)) return null;
  const r = value.retrieval;
  return {
    question: form.question,
    pair: form.pair,
    mode: form.mode,
    context: form.context,
    settings: form.settings,
    template: { system: t.system, document: t.document, user: t.user },
    documents: documents as ContextDocument[],
    retrieval: isObject(r) && typeof r.searchMs === 'number' && typeof r.embedMs === 'number' ? { searchMs: r.searchMs, embedMs: r.embedMs } : null,
    answers: { base: readAnswer(answers.base), tuned: readAnswer(answers.tuned) },
  };
}

/** Reads what `serialiseArena` wrote; anything missing or invalid gets its default (a corrupt entry: the defaults). */
export function parseArena(raw: string | null): StoredArena {
  const value: Loose<StoredArena> = parseStoredObject(raw);
  return { form: readForm(value.form), last: readRun(value.last) };
}

export function serialiseArena(arena: StoredArena): string {
  return JSON.stringify(arena);
}
