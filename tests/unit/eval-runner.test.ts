// The evaluation loop over fakes: the plan (arms, order, sweep), the model acquired per answer and one model
// after the other, stop and resume without asking an answered question again, and the remote judge (fake fetch).
import { describe, expect, test } from 'vitest';
import { RemoteGenerator, RemoteGeneratorError } from '../../src/lib/clients/remote-generator';
import { summariseRun } from '../../src/lib/core/eval/aggregate';
import { parseVerdict } from '../../src/lib/core/eval/judge';
import { buildArms, buildPlan, checkSettings, defaultEvalSettings, parseDistractorList } from '../../src/lib/core/eval/plan';
import { runEvaluation, type RunnerDeps } from '../../src/lib/core/eval/runner';
import type { EvalRecord, EvalRole, EvalSettings, RetrieveParams } from '../../src/lib/core/eval/types';
import type { GenerateFn } from '../../src/lib/core/inference/answer';
import { fakeRetrieve, QUESTIONS, result } from './eval-support';

const TWO_MODELS: EvalSettings = { ...defaultEvalSettings(), systems: [{ role: 'tuned', retrieval: true }, { role: 'base', retrieval: false }, { role: 'base', retrieval: true }] };

describe('the plan', () => {
  test('arms go model after model (base first), retrieval before closed book; a sweep gives one arm per count', () => {
    const arms = buildArms({ ...TWO_MODELS, distractors: [4, 0] });
    expect(arms.map((a) => a.id)).toEqual(['base@k5+0', 'base@k5+4', 'base@closed', 'tuned@k5+0', 'tuned@k5+4']);
    expect(arms.map((a) => a.label)).toEqual(['Base model, +0 distractors', 'Base model, +4 distractors', 'Base model, no retrieval', 'Fine-tuned model, +0 distractors', 'Fine-tuned model, +4 distractors']);
    const plan = buildPlan(arms, [...QUESTIONS].reverse());
    expect(plan.slice(0, 4).map((p) => p.key)).toEqual(['base@k5+0|q1', 'base@k5+0|q2', 'base@k5+0|q3', 'base@k5+4|q1']);
    expect(plan).toHaveLength(15);
  });

  test('distractor lists and settings are checked with messages that say what to fix', () => {
    expect(parseDistractorList(' 4, 0 2,2')).toEqual([0, 2, 4]);
    expect(() => parseDistractorList('1, x')).toThrow('"x" is not a whole number from 0 to 20.');
    expect(() => parseDistractorList('')).toThrow(/at least one/);
    expect(checkSettings(defaultEvalSettings())).toBeNull();
    expect(checkSettings({ ...defaultEvalSettings(), systems: [] })).toBe('Pick at least one model to evaluate.');
    expect(checkSettings({ ...defaultEvalSettings(), k: 0 })).toMatch(/k \(documents retrieved\) must be a whole number from 1 to 50/);
  });
});

function scripted(log: string[]) {
  return async (role: EvalRole): Promise<GenerateFn> => {
    log.push(`acquire ${role}`);
    return async (messages, _settings, hooks) => {
      const q = messages.at(-1)!.content.split('\n').at(-1)!;
      log.push(`${role}: ${q}`);
      hooks.onToken?.({ text: 'x', tokens: 1 });
      return result(role === 'tuned' ? '<ANSWER>: 14 days' : 'no idea');
    };
  };
}

describe('the loop', () => {
  test('each answer acquires its model; one model finishes before the next starts; retrieval is shared by the models', async () => {
    const log: string[] = [];
    const calls: RetrieveParams[] = [];
    const saved: EvalRecord[] = [];
    const arms = buildArms(TWO_MODELS);
    const outcome = await runEvaluation({ settings: TWO_MODELS, arms, questions: QUESTIONS, done: new Set() }, { retrieve: fakeRetrieve(calls), acquire: scripted(log), save: async (r) => void saved.push(r) });
    expect(outcome).toEqual({ written: 9, complete: true });
    expect(log.filter((l) => l.startsWith('acquire'))).toEqual([...Array(6).fill('acquire base'), ...Array(3).fill('acquire tuned')]);
    // Retrieved once per question for the two models with retrieval; the closed-book arm retrieves nothing.
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual({ question: 'Question q1?', mode: 'lexical', options: { k: 5, oracle: 'retrieved', extraDistractors: 0 }, oracleChunkIds: ['refund#1'], answer: '14 days' });
    const closed = saved.find((r) => r.armId === 'base@closed')!;
    expect([closed.documents, closed.retrieval]).toEqual([[], null]);
    // The record keeps the documents without their text.
    expect(saved[0].documents[0]).not.toHaveProperty('text');
    expect(saved[0].documents[0]).toMatchObject({ chunkId: 'refund#1', role: 'oracle', rank: 1 });
  });

  test('stopping drops the answer being written; resuming asks only what has no record and gives the same numbers', async () => {
    const settings = TWO_MODELS;
    const arms = buildArms(settings);
    const store = new Map<string, EvalRecord>();
    const controller = new AbortController();
    const asked: string[] = [];
    const deps = (signal?: AbortSignal): RunnerDeps => ({
      retrieve: fakeRetrieve(),
      acquire: async (role) => async (messages) => {
        const q = messages.at(-1)!.content.split('\n').at(-1)!;
        asked.push(`${role} ${q}`);
        if (store.size === 4 && signal) controller.abort(); // stopped while the fifth answer is written
        return result(role === 'tuned' ? '<ANSWER>: 30 days' : '<ANSWER>: 14 days');
      },
      save: async (r) => void store.set(r.key, r),
      signal,
    });
    const first = await runEvaluation({ settings, arms, questions: QUESTIONS, done: new Set() }, deps(controller.signal));
    expect(first).toEqual({ written: 4, complete: false });
    expect(store.size).toBe(4);
    const second = await runEvaluation({ settings, arms, questions: QUESTIONS, done: new Set(store.keys()) }, deps());
    expect(second).toEqual({ written: 5, complete: true });
    // Nine answers, each asked once, plus the one dropped when the run stopped (asked again on resume).
    expect(asked).toHaveLength(10);
    expect(new Set(asked.slice(5)).size).toBe(5);
    const fresh = new Map<string, EvalRecord>();
    await runEvaluation({ settings, arms, questions: QUESTIONS, done: new Set() }, { ...deps(), save: async (r) => void fresh.set(r.key, r) });
    const summary = (records: Map<string, EvalRecord>) => summariseRun({ settings, arms, questions: QUESTIONS, records: records.values() });
    expect(summary(store)).toEqual(summary(fresh));
  });
});

describe('the remote judge', () => {
  const judged = (replies: string[], bodies: unknown[]) =>
    new RemoteGenerator({ baseUrl: 'http://judge.test/v1', model: 'grader' }, (async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      const content = replies.shift() ?? 'CORRECT';
      return new Response(JSON.stringify({ choices: [{ message: { content }, finish_reason: 'stop' }] }), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch);

  test('verdicts are parsed leniently; unclear replies count as neither', () => {
    expect([parseVerdict('CORRECT'), parseVerdict('incorrect.'), parseVerdict('Verdict: Correct'), parseVerdict('Not correct'), parseVerdict('maybe')]).toEqual([true, false, true, false, null]);
  });

  test('each answer with a reference is graded; the judge column counts only clear verdicts', async () => {
    const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }], judge: true };
    const bodies: { messages: { content: string }[]; temperature: number }[] = [];
    const judge = judged(['CORRECT', 'I think INCORRECT'], bodies as unknown[]);
    const saved: EvalRecord[] = [];
    const arms = buildArms(settings);
    await runEvaluation(
      { settings, arms, questions: QUESTIONS, done: new Set() },
      { retrieve: fakeRetrieve(), acquire: async () => async () => result('<ANSWER>: 14 days'), judge: (m, s, h) => judge.generate(m, s, h), save: async (r) => void saved.push(r) },
    );
    // q3 has no reference answer: not sent to the judge.
    expect(bodies).toHaveLength(2);
    expect(bodies[0].messages[1].content).toContain('Reference answer: 14 days\nAnswer to grade: 14 days');
    expect(bodies[0].temperature).toBe(0);
    expect(saved.map((r) => r.judge?.correct ?? null)).toEqual([true, false, null]);
    const m = summariseRun({ settings, arms, questions: QUESTIONS, records: saved }).arms[0].metrics;
    expect([m.judge.mean, m.judge.n]).toEqual([0.5, 2]);
    expect(m.em.mean).toBe(0.5); // the judge never changes EM
  });

  test('a failing endpoint stops the run before the answer is saved, with the endpoint error', async () => {
    const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }], judge: true };
    const judge = new RemoteGenerator({ baseUrl: 'http://judge.test/v1', model: 'grader' }, (async () => new Response('{"error":{"message":"no such model"}}', { status: 404 })) as typeof fetch);
    const saved: EvalRecord[] = [];
    const run = runEvaluation(
      { settings, arms: buildArms(settings), questions: QUESTIONS, done: new Set() },
      { retrieve: fakeRetrieve(), acquire: async () => async () => result('<ANSWER>: 14 days'), judge: (m, s, h) => judge.generate(m, s, h), save: async (r) => void saved.push(r) },
    );
    await expect(run).rejects.toBeInstanceOf(RemoteGeneratorError);
    await expect(run).rejects.toThrow(/HTTP 404.*no such model/);
    expect(saved).toEqual([]);
  });
});
