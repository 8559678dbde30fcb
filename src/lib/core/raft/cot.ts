// Model-written chain-of-thought (gorilla `raft.py`'s `generate_label`): the writer's prompt and settings, one
// task per example that keeps its oracle, the messages of each attempt, and the records applied back onto the
// examples. The prompt lives in cot-prompt.ts, the checks in cot-check.ts, the writing loop and the job in cot-run.ts
// (all re-exported here).
import { formatHeadingPath } from '../chunking/types';
import { DEFAULT_GENERATION } from '../generation';
import { hash } from '../hash';
import { extractQuotes, locateQuotes } from './answer-format';
import { shownTexts, validateAnswer } from './build';
import { COT_PLACEHOLDERS, DEFAULT_COT_PROMPT } from './cot-prompt';
import type { CotPrompt, CotRecord, CotSettings, CotSource, CotTask } from './cot-types';
import { chooseQuote } from './quote';
import type { RaftExample } from './types';

export { DEFAULT_COT_PROMPT, COT_PLACEHOLDERS, cotMessages } from './cot-prompt';
export { checkCot, locateInOracle, type CotCheck } from './cot-check';
export { writeCot, runCotJob, type CotJobOptions, type CotJobProgress, type CotJobResult } from './cot-run';

/** Writer settings: F1 0.5, three attempts, greedy decoding (reproducible), 256 new tokens. */
export const DEFAULT_COT_SETTINGS: Readonly<CotSettings> = Object.freeze({
  prompt: DEFAULT_COT_PROMPT,
  minAnswerF1: 0.5,
  attempts: 3,
  generation: { ...DEFAULT_GENERATION, maxNewTokens: 256, temperature: 0, topP: 1, greedy: true },
});

/** Allowed ranges of the settings (the UI's inputs and the CLI's flags check against them). */
export const COT_LIMITS = Object.freeze({
  minAnswerF1: { min: 0, max: 1 },
  attempts: { min: 1, max: 5 },
  maxNewTokens: { min: 16, max: 4096 },
  concurrency: { min: 1, max: 64 },
});

/** What is wrong with settings a user edited, or null. */
export function checkCotSettings(settings: CotSettings): string | null {
  const { minAnswerF1, attempts, generation } = settings;
  if (!(minAnswerF1 >= COT_LIMITS.minAnswerF1.min && minAnswerF1 <= COT_LIMITS.minAnswerF1.max)) return `The answer F1 threshold must be from 0 to 1; got ${minAnswerF1}.`;
  if (!Number.isInteger(attempts) || attempts < COT_LIMITS.attempts.min || attempts > COT_LIMITS.attempts.max) return `Attempts must be a whole number from 1 to 5; got ${attempts}.`;
  const { min, max } = COT_LIMITS.maxNewTokens;
  if (!Number.isInteger(generation.maxNewTokens) || generation.maxNewTokens < min || generation.maxNewTokens > max) return `New tokens per reply must be a whole number from ${min} to ${max}; got ${generation.maxNewTokens}.`;
  return checkCotPrompt(settings.prompt);
}

/** What is wrong with a writer prompt, or null: an empty user prompt, or a placeholder it does not know. */
export function checkCotPrompt(prompt: CotPrompt): string | null {
  if (typeof prompt?.user !== 'string' || typeof prompt.system !== 'string') return 'The writer prompt needs a "system" and a "user" text.';
  if (!prompt.user.trim()) return 'The writer prompt\'s user text is empty.';
  const known = new Set<string>(COT_PLACEHOLDERS);
  const unknown = [...prompt.user.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).find((name) => !known.has(name));
  return unknown ? `Unknown placeholder {${unknown}} in the writer prompt: use ${COT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.` : null;
}

/** Stable id of a written answer: hash of question, answer, oracle text, quote, title, prompt+settings and writer model label. */
export function cotKey(task: Omit<CotTask, 'key' | 'exampleId'>, settings: CotSettings, model: string): string {
  const { prompt, minAnswerF1, attempts, generation } = settings;
  const text = JSON.stringify([task.question, task.answer, task.oracleText, task.quote, task.title, prompt.system, prompt.user, minAnswerF1, attempts, generation, model]);
  return `cot_${hash(text)}${hash(text, 1)}`;
}

/** One task per example that keeps its oracle (no-oracle examples keep their truthful template answer). */
export function cotTasks(examples: RaftExample[], oracleText: (chunkId: string) => string, settings: CotSettings, model: string): CotTask[] {
  const tasks: CotTask[] = [];
  for (const example of examples) {
    const chunkId = example.oracleChunkIds[0];
    if (!example.oraclePresent || !chunkId) continue;
    const text = oracleText(chunkId);
    if (!text) continue;
    const document = example.documents.find((d) => d.chunkId === chunkId);
    const title = document ? [document.title, formatHeadingPath(document.headingPath.slice(1))].filter(Boolean).join(' › ') : '';
    // The span the template quotes (its first quote, when that is in this oracle).
    const templateQuote = example.quotes[0]?.text;
    const quote = templateQuote && text.includes(templateQuote) ? templateQuote : chooseQuote(text, undefined, example.answer, example.question);
    const task = { question: example.question, answer: example.answer, oracleText: text, quote, title };
    tasks.push({ key: cotKey(task, settings, model), exampleId: example.id, ...task });
  }
  return tasks;
}

/** Examples with the records applied: cotAnswer, quotes, problems and `cot` replaced where a record's key matches. */
export function applyCot(examples: RaftExample[], tasks: CotTask[], records: ReadonlyMap<string, CotRecord>): RaftExample[] {
  const byExample = new Map(tasks.map((t) => [t.exampleId, t]));
  return examples.map((example) => {
    const task = byExample.get(example.id);
    const record = task ? records.get(task.key) : undefined;
    if (!record) return example;
    const quotes = locateQuotes(extractQuotes(record.cotAnswer), shownTexts(example.documents));
    // The builder's other problems (missing distractors, a vanished oracle) stay; the answer's own are recomputed.
    const stale = validateAnswer(example.cotAnswer, example.quotes);
    const problems = example.problems.filter((p) => {
      const at = stale.indexOf(p);
      if (at < 0) return true;
      stale.splice(at, 1);
      return false;
    });
    problems.push(...validateAnswer(record.cotAnswer, quotes));
    const cot: RaftExample['cot'] =
      record.origin === 'model'
        ? { origin: 'model', model: record.model, attempts: record.attempts }
        : { origin: 'fallback', model: record.model, attempts: record.attempts, rejections: [...record.rejections] };
    return { ...example, cotAnswer: record.cotAnswer, quotes, problems, cot };
  });
}

/** What a build is told about the chain-of-thought: the writer, its settings, and the records written so far. */
export interface CotBuildInput {
  source: CotSource;
  model: string | null;
  settings: CotSettings | null;
  /** Records by any key; those matching a task's key are applied. Default none. */
  records?: CotRecord[];
}

/**
 * A build's chain-of-thought step: with a model source, the tasks of the examples (their template answers kept by
 * task key, for the fallback) and the examples with the given records applied; with the template, nothing changes.
 */
export function cotForBuild(
  examples: RaftExample[],
  cot: CotBuildInput | undefined,
  oracleText: (chunkId: string) => string,
): { examples: RaftExample[]; tasks: CotTask[]; templateAnswers: Record<string, string> } {
  if (!cot || cot.source === 'template' || !cot.settings) return { examples, tasks: [], templateAnswers: {} };
  const tasks = cotTasks(examples, oracleText, cot.settings, cot.model ?? '');
  const byId = new Map(examples.map((e) => [e.id, e]));
  const templateAnswers: Record<string, string> = {};
  for (const task of tasks) templateAnswers[task.key] = byId.get(task.exampleId)!.cotAnswer;
  const records = new Map((cot.records ?? []).map((r) => [r.key, r]));
  return { examples: records.size > 0 ? applyCot(examples, tasks, records) : examples, tasks, templateAnswers };
}
