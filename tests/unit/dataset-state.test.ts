// The Dataset page's state over the CLI's in-process corpus (the sample wiki, lexical) and fake-indexeddb: the last
// build comes back after a "reload" (a new state over the same database) without being built again, and is rebuilt,
// saying why, only when the corpus or the questions changed since.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSession, type Session } from '../../src/cli/session';
import type { CorpusClient } from '../../src/lib/clients/corpus';
import { openDatasetDatabase } from '../../src/lib/store/dataset-db';
import { DatasetState, type DatasetCorpus, type DatasetDeps } from '../../src/lib/state/dataset.svelte';
import { inputsChange } from '../../src/lib/state/dataset-store';

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
    expect(built.examples).toHaveLength(40);
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
      expect(second.notice).toBe('The questions changed since the last build (the same 40 resolved questions, other content): rebuilt.');
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
