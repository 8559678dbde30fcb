// Issue 13.1 in the app: a split given in the questions file is the user's. The Dataset page's "Split them the
// same way" and the Questions page's Split draw only the pairs without a given side, over the CLI's in-process
// corpus (the sample wiki, lexical) and fake-indexeddb.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openSession, type Session } from '../../src/cli/session';
import type { CorpusClient } from '../../src/lib/clients/corpus';
import type { QAPair } from '../../src/lib/core/questions';
import { openDatasetDatabase } from '../../src/lib/store/dataset-db';
import type { Corpus } from '../../src/lib/state/corpus.svelte';
import { DatasetState } from '../../src/lib/state/dataset.svelte';
import { QuestionsState } from '../../src/lib/state/questions.svelte';

let session: Session | undefined;
afterEach(() => session?.close());

/** The sample wiki with its first 10 questions, every other one given "split": "test" in the file. */
async function openWithGivenSplits(): Promise<{ session: Session; givenTest: string[] }> {
  const rows = (await readFile('public/sample-wiki/questions.jsonl', 'utf8')).split('\n').filter(Boolean).slice(0, 10).map((line) => JSON.parse(line));
  rows.forEach((row, i) => (i % 2 === 0 ? (row.split = 'test') : delete row.split));
  const path = join(await mkdtemp(join(tmpdir(), 'split-state-')), 'questions.jsonl');
  await writeFile(path, rows.map((row) => JSON.stringify(row)).join('\n'));
  session = await openSession({ docs: 'public/sample-wiki', questions: path, mode: 'lexical', log: () => {} });
  return { session, givenTest: rows.filter((row) => row.split === 'test').map((row) => row.question) };
}

const sideOf = (pairs: QAPair[], question: string) => pairs.find((p) => p.question === question)?.split;

test('"Split them the same way" keeps the 5 given test questions in test', { timeout: 60_000 }, async () => {
  const { session, givenTest } = await openWithGivenSplits();
  const corpus = { open: async () => true, client: session.corpus, error: '', chunksOf: (path: string) => session.corpus.call('chunksOf', { path }) };
  const dataset = new DatasetState(corpus, null, { openDb: () => openDatasetDatabase(`split-state-${Math.random()}`) });
  await dataset.refreshQuestions();
  expect(dataset.questions).toMatchObject({ resolved: 10, unassigned: 5, test: 5 });
  await dataset.assignSplits();
  expect(dataset.questionsError).toBe('');
  expect(dataset.questions?.unassigned).toBe(0);
  expect(dataset.questions?.test).toBeGreaterThanOrEqual(5);
  const pairs = await session.corpus.call('listQuestions', undefined);
  for (const question of givenTest) expect(sideOf(pairs, question), question).toBe('test');
});

test('the Questions page\'s Split redraws its own earlier draw, never a given side', { timeout: 60_000 }, async () => {
  const { session, givenTest } = await openWithGivenSplits();
  const questions = new QuestionsState({ client: session.corpus as CorpusClient } as unknown as Corpus);
  Object.assign(questions, { byArticle: false, testFraction: 0 });
  await questions.split();
  expect(questions.splitError).toBe('');
  expect(questions.splits).toMatchObject({ train: 5, test: 5, unassigned: 0, given: 5 });
  // A second Split with another share draws the 5 others again; the given 5 stay where the file put them.
  Object.assign(questions, { testFraction: 0.6 });
  await questions.split();
  expect(questions.splits).toMatchObject({ train: 2, test: 8, given: 5 });
  for (const question of givenTest) expect(sideOf(questions.pairs, question), question).toBe('test');
});
