// The Dataset page's state over the CLI's in-process corpus (the sample wiki, lexical) and fake-indexeddb: the last
// build comes back after a "reload" (a new state over the same database) without being built again, and is rebuilt,
// saying why, only when the corpus or the questions changed since.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSession, type Session } from '../../src/cli/session';
import type { CorpusClient } from '../../src/lib/clients/corpus';
import { openDatasetDatabase } from '../../src/lib/store/dataset-db';
import { DatasetState, type DatasetCorpus, type DatasetDeps } from '../../src/lib/state/dataset.svelte';
import { inputsChange } from '../../src/lib/state/dataset-store';
import { startOpenAiServer } from '../support/openai-server';

let session: Session;

beforeAll(async () => {
  session = await openSession({ docs: 'public/sample-wiki', questions: 'public/sample-wiki/questions.jsonl', mode: 'lexical', log: () => {} });
  await session.corpus.call('splitQuestions', { testFraction: 0.2, seed: 7, byArticle: true });
}, 60_000);

afterAll(() => session?.close());

/** The corpus as the page sees it, counting the worker calls by name. */
function corpus(calls: string[]): DatasetCorpus {
  const client = {
    call: (name: string, params: unknown, hooks?: unknown) => {
      calls.push(name);
      return (session.corpus.call as (n: string, p: unknown, h?: unknown) => Promise<unknown>)(name, params, hooks);
    },
  } as unknown as CorpusClient;
  return { open: async () => true, client, error: '', chunksOf: (path) => session.corpus.call('chunksOf', { path }) };
}

function page(dbName: string, calls: string[], deps: DatasetDeps = {}): DatasetState {
  return new DatasetState(corpus(calls), null, { openDb: () => openDatasetDatabase(dbName), ...deps });
}

describe('the last build across reloads', () => {
  test('comes back as it was, without building again; the exported files too', { timeout: 60_000 }, async () => {
    const dbName = `dataset-state-${Math.random()}`;
    const first = page(dbName, []);
    await first.restore();
    expect(first.built).toBeNull();
    first.setSeed(11);
    await first.build();
    expect(first.error).toBe('');
    const built = first.built!;
    expect(built.examples).toHaveLength(200);
    const train = await first.exportFile('train.jsonl');

    // A new page over the same database: the build is read back, nothing is built.
    const calls: string[] = [];
    const second = page(dbName, calls);
    await second.restore();
    expect(second.built?.examples).toEqual(built.examples);
    expect(second.built?.params.seed).toBe(11);
    expect(second.built?.stats).toEqual(built.stats);
    expect(second.notice).toBe('');
    expect(calls).not.toContain('buildDataset');
    // The chat files built before the reload are exported as they were, still without a build.
    expect(await second.exportFile('train.jsonl')).toBe(train);
    expect(calls).not.toContain('buildDataset');
    expect(second.storeError).toBe('');
  });

  test('is rebuilt with its own recipe when a question changed, and the page says why', { timeout: 60_000 }, async () => {
    const dbName = `dataset-state-${Math.random()}`;
    const first = page(dbName, []);
    first.setDistractors(2);
    await first.build();
    const before = first.built!;

    // Another answer for one pair: same number of questions, other content.
    const pairs = await session.corpus.call('listQuestions', undefined);
    const pair = pairs.find((p) => p.status === 'ok')!;
    await session.corpus.call('saveQuestions', { pairs: [{ ...pair, answer: `${pair.answer} (edited)` }] });
    try {
      const calls: string[] = [];
      const second = page(dbName, calls);
      second.setDistractors(5); // the form changed since: the rebuild keeps the build's own recipe
      await second.restore();
      expect(calls.filter((c) => c === 'buildDataset')).toHaveLength(1);
      expect(second.notice).toBe('The questions changed since the last build (the same 200 resolved questions, other content): rebuilt.');
      expect(second.built!.params.distractors).toBe(2);
      expect(second.built!.builtAt).toBeGreaterThanOrEqual(before.builtAt);
      expect(second.built!.examples.find((e) => e.pairId === pair.id)?.answer).toBe(`${pair.answer} (edited)`);

      // The rebuilt one is what the next visit gets, without building again.
      const third = page(dbName, calls);
      await third.restore();
      expect(third.notice).toBe('');
      expect(calls.filter((c) => c === 'buildDataset')).toHaveLength(1);
      expect(third.built!.examples.find((e) => e.pairId === pair.id)?.answer).toBe(`${pair.answer} (edited)`);
    } finally {
      await session.corpus.call('saveQuestions', { pairs: [pair] });
    }
  });
});

describe('inputsChange', () => {
  const inputs = { corpusFingerprint: 'c1', chunks: 175, questionsFingerprint: 'q1', questions: 40 };
  test('says which inputs changed, with the counts then and now', () => {
    expect(inputsChange(inputs, { ...inputs })).toBeNull();
    expect(inputsChange(inputs, { ...inputs, questionsFingerprint: 'q2', questions: 41 })).toBe('The questions changed since the last build (40 resolved questions then, 41 now)');
    expect(inputsChange(inputs, { ...inputs, corpusFingerprint: 'c2' })).toBe('The corpus changed since the last build (the same 175 chunks, other content)');
    expect(inputsChange(inputs, { corpusFingerprint: 'c2', chunks: 1, questionsFingerprint: 'q2', questions: 1 })).toBe(
      'The corpus and the questions changed since the last build (175 chunks then, 1 now; 40 resolved questions then, 1 now)',
    );
  });
});

/** A language model that replies with the last user message (like tests/models/tiny/echo), counting what it was asked. */
function echoModels(asked: string[], onAsk: (n: number) => void = () => {}): NonNullable<DatasetDeps['models']> {
  return {
    base: { loaded: { label: 'echo' }, status: 'ready' },
    acquire: async () => ({
      generate: async (messages) => {
        const last = messages.filter((m) => m.role === 'user').at(-1)!.content;
        asked.push(last);
        onAsk(asked.length);
        return { text: last, tokens: 1, timeToFirstTokenMs: 0, totalMs: 0, stopReason: 'eos' } as never;
      },
    }),
  };
}

const QUOTING_PROMPT = { system: '', user: '##Reason: ##begin_quote##{quote}##end_quote## <ANSWER>: {answer}' };

describe('the chain-of-thought job', () => {
  test('a writer that quotes the oracle and gives the reference answer: every task model-written, in the files and the manifest', { timeout: 60_000 }, async () => {
    const asked: string[] = [];
    const state = page(`dataset-cot-${Math.random()}`, [], { models: echoModels(asked) });
    await state.restore();
    state.cot.source = 'local';
    state.cot.prompt = { ...QUOTING_PROMPT };
    await state.cot.start();
    expect(state.cot.error + state.error).toBe('');
    const build = state.built!;
    const tasks = build.cotTasks.length;
    expect(tasks).toBeGreaterThan(20);
    expect(asked).toHaveLength(tasks);
    expect(build.cotJob).toBe('done');
    expect(state.cot.counts).toEqual({ tasks, done: tasks, model: tasks, fellBack: 0 });
    expect(state.cot.notice).toBe(`Done: ${tasks} examples, ${tasks} written by the model, 0 fell back to the template (this run wrote ${tasks}).`);
    const written = build.examples.filter((e) => e.cot?.origin === 'model');
    expect(written).toHaveLength(tasks);
    expect(written[0].cotAnswer).toMatch(/^##Reason: ##begin_quote##.+##end_quote## <ANSWER>: /s);

    state.format = 'gorilla';
    const manifest = JSON.parse((await state.exportFile('manifest.json'))!);
    expect(manifest.cot).toMatchObject({ source: 'local', model: 'echo', written: tasks, fellBack: 0, settings: { prompt: QUOTING_PROMPT, minAnswerF1: 0.5, attempts: 3 } });
    const rows = (await state.exportFile('train.jsonl'))!.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((r) => written.some((e) => e.cotAnswer === r.cot_answer)).length).toBeGreaterThan(0);
  });

  test('the default prompt with an echo: each reply rejected, retried, then the template, with the reasons', { timeout: 60_000 }, async () => {
    const asked: string[] = [];
    const state = page(`dataset-cot-${Math.random()}`, [], { models: echoModels(asked) });
    await state.restore();
    state.cot.source = 'local';
    state.cot.attempts = 2;
    await state.cot.start();
    expect(state.cot.error + state.error).toBe('');
    const tasks = state.built!.cotTasks.length;
    expect(asked).toHaveLength(tasks * 2);
    const fellBack = state.built!.examples.filter((e) => e.cot?.origin === 'fallback');
    expect(fellBack).toHaveLength(tasks);
    const cot = fellBack[0].cot as Extract<NonNullable<(typeof fellBack)[0]['cot']>, { origin: 'fallback' }>;
    expect(cot.model).toBe('echo');
    expect(cot.rejections).toHaveLength(2);
    expect(cot.rejections[0].length).toBeGreaterThan(0);
    // The template answer stands where the model failed.
    expect(fellBack[0].cotAnswer).toBe(state.built!.templateAnswers[state.built!.cotTasks.find((t) => t.exampleId === fellBack[0].id)!.key]);
  });

  test('paused midway and "reloaded": the build and the records written come back, Resume asks only the rest', { timeout: 60_000 }, async () => {
    const dbName = `dataset-cot-${Math.random()}`;
    const asked: string[] = [];
    let first: DatasetState;
    first = page(dbName, [], { models: echoModels(asked, (n) => n === 6 && first.cot.pause()) });
    await first.restore();
    first.cot.source = 'local';
    first.cot.prompt = { ...QUOTING_PROMPT };
    await first.cot.start();
    expect(first.cot.error).toBe('');
    expect(first.built!.cotJob).toBe('paused');
    // The sixth reply was asked when Pause came: it is dropped, five are kept.
    expect(first.cot.counts.done).toBe(5);
    const tasks = first.built!.cotTasks.length;

    const calls: string[] = [];
    const second = page(dbName, calls, { models: echoModels(asked) });
    await second.restore();
    expect(calls).not.toContain('buildDataset');
    expect(second.built!.cotJob).toBe('paused');
    expect(second.cot.counts).toEqual({ tasks, done: 5, model: 5, fellBack: 0 });
    expect(second.built!.examples.filter((e) => e.cot?.origin === 'model')).toHaveLength(5);
    second.cot.source = 'local';
    second.cot.prompt = { ...QUOTING_PROMPT };
    expect(second.cot.resumable).toBe(true);
    await second.cot.start();
    expect(second.cot.error).toBe('');
    expect(calls).not.toContain('buildDataset');
    expect(asked).toHaveLength(6 + tasks - 5);
    expect(second.built!.cotJob).toBe('done');
    expect(second.cot.notice).toBe(`Done: ${tasks} examples, ${tasks} written by the model, 0 fell back to the template (this run wrote ${tasks - 5}; 5 were written before and not asked again).`);
    expect(second.built!.examples.filter((e) => e.cot?.origin === 'model')).toHaveLength(tasks);
  });

  test('cancelled: the reasoning written stays in the examples, Resume is not offered, a new build waits for the job', { timeout: 60_000 }, async () => {
    const asked: string[] = [];
    let state: DatasetState;
    state = page(`dataset-cot-${Math.random()}`, [], {
      models: echoModels(asked, (n) => {
        if (n !== 3) return;
        void state.build(); // refused while the job runs
        state.cot.cancel();
      }),
    });
    await state.restore();
    state.cot.source = 'local';
    state.cot.prompt = { ...QUOTING_PROMPT };
    await state.cot.start();
    expect(state.error).toBe('Pause or cancel the reasoning being written first: a new build changes its tasks.');
    expect(state.built!.cotJob).toBe('cancelled');
    expect(state.cot.resumable).toBe(false);
    const tasks = state.built!.cotTasks.length;
    expect(state.cot.notice).toBe(`Cancelled after 2 of ${tasks} (2 written by the model, 0 fell back to the template; this run wrote 2); the other examples keep the template answer.`);
    expect(state.built!.examples.filter((e) => e.cot?.origin === 'model')).toHaveLength(2);
  });

  test('an OpenAI-compatible endpoint that dies mid-run loses nothing written; Resume against it again asks only the rest', { timeout: 120_000 }, async () => {
    const dbName = `dataset-cot-${Math.random()}`;
    const dying = await startOpenAiServer({ fault: { kind: 'die-after', count: 4 }, holdUntilInFlight: 2 });
    const first = page(dbName, []);
    await first.restore();
    Object.assign(first.cot, { source: 'endpoint', prompt: { ...QUOTING_PROMPT }, concurrency: 2 });
    Object.assign(first.cot.remote, { baseUrl: dying.baseUrl, model: 'echo', apiKey: 'sk-test' });
    await first.cot.start();
    await dying.close();
    expect(first.cot.error).toMatch(/^Writing the reasoning stopped: .+ What was written is kept; Resume asks only the rest\.$/);
    expect(dying.maxInFlight).toBe(2);
    expect(dying.authorizations[0]).toBe('Bearer sk-test');
    const tasks = first.built!.cotTasks.length;
    // Every reply the server gave before it died is a record (with two in flight, the fifth may beat the fourth's answer).
    const kept = dying.answered;
    expect(kept).toBeGreaterThanOrEqual(4);
    expect(first.cot.counts).toEqual({ tasks, done: kept, model: kept, fellBack: 0 });
    expect(first.built!.cotJob).toBe('paused');

    // Another page, the server back (elsewhere): only the tasks without a record are asked.
    const server = await startOpenAiServer();
    try {
      const second = page(dbName, []);
      await second.restore();
      Object.assign(second.cot, { source: 'endpoint', prompt: { ...QUOTING_PROMPT }, concurrency: 2 });
      Object.assign(second.cot.remote, { baseUrl: server.baseUrl, model: 'echo' });
      expect(second.cot.resumable).toBe(true);
      await second.cot.start();
      expect(second.cot.error).toBe('');
      expect(server.answered).toBe(tasks - kept);
      expect(second.built!.examples.filter((e) => e.cot?.origin === 'model')).toHaveLength(tasks);
      second.format = 'chat';
      expect(JSON.parse((await second.exportFile('manifest.json'))!).cot).toMatchObject({ source: 'endpoint', model: 'echo', written: tasks, fellBack: 0 });
    } finally {
      await server.close();
    }
  });
});
