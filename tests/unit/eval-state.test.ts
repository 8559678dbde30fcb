// The app's evaluation state over the CLI's in-process corpus (the sample wiki) and the tiny models: a run
// paused midway survives a "reload" (a new state over the same database), resumes without asking an
// answered question again, and its numbers equal those of `raft eval` for the same inputs and seed.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { openSession, type Session } from '../../src/cli/session';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import type { EvalRole, RunSummary } from '../../src/lib/core/eval/types';
import { DEFAULT_TEMPLATE } from '../../src/lib/core/raft/prompt';
import { EVAL_DB_VERSION, openEvalDatabase } from '../../src/lib/store/eval-db';
import { EvalRepo } from '../../src/lib/store/eval-repo';
import { EvaluationState, type EvaluationDeps } from '../../src/lib/state/evaluation.svelte';
import type { LoadedModel } from '../../src/lib/workers/models/protocol';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';

const ROOT = resolve(import.meta.dirname, '../..');
/** The docs and questions both the app and the CLI run on (set in beforeAll). */
let WIKI: string[];
const MAX_NEW_TOKENS = 24;
/** Makes the echo model (which repeats the user turn) answer in the RAFT format, quoting its one document. */
const QUOTING_TEMPLATE = { system: '', document: '{text}', user: '##begin_quote##{documents}##end_quote## <ANSWER>: {question}' };

let session: Session;
const models: Partial<Record<EvalRole, { client: GeneratorClient; loaded: LoadedModel }>> = {};

beforeAll(async () => {
  // 8 test and 8 train rows of the sample wiki, splits as given (all 106 test questions would take minutes). Two
  // test rows have a chunk besides the oracle that holds the answer (E-413; the release notes' v1 switch-off date).
  const rows = (await readFile(resolve(ROOT, 'public/sample-wiki/questions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { split: string; question: string });
  const answerTwice = (r: { question: string }) => /attachment size on the Free plan|v1 API be switched off/.test(r.question);
  const testRows = [...rows.filter(answerTwice), ...rows.filter((r) => r.split === 'test' && !answerTwice(r)).slice(0, 6)];
  expect(testRows.map((r) => r.split)).toEqual(Array(8).fill('test'));
  const questions = join(await mkdtemp(join(tmpdir(), 'raft-eval-q-')), 'questions.jsonl');
  await writeFile(questions, [...testRows, ...rows.filter((r) => r.split === 'train').slice(0, 8)].map((r) => JSON.stringify(r)).join('\n'));
  WIKI = ['--docs', 'public/sample-wiki', '--questions', questions];
  session = await openSession({ docs: 'public/sample-wiki', questions, mode: 'lexical', log: () => {} });
  // The Questions page's split with its defaults (test share 0.2, seed 7, articles kept together): the file's
  // own split is kept.
  await session.corpus.call('splitQuestions', { testFraction: 0.2, seed: 7, byArticle: true });
  for (const [role, folder] of [['base', 'echo'], ['tuned', 'llama']] as const) {
    const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
    const client = new GeneratorClient(endpoint, close);
    models[role] = { client, loaded: await client.load(await readModelFolder(resolve(ROOT, 'tests/models/tiny', folder)), { device: 'wasm', dtype: 'fp32' }) };
  }
}, 60_000);

afterAll(() => {
  session?.close();
  Object.values(models).forEach((m) => m.client.terminate());
});

function deps(dbName: string, asked: string[], onAcquire: () => void = () => {}, template = DEFAULT_TEMPLATE): EvaluationDeps {
  return {
    corpus: { open: async () => true, client: session.corpus, denseUnavailable: null },
    acquire: async (role) => {
      onAcquire();
      const model = models[role]!;
      return (messages, settings, hooks) => {
        asked.push(`${role}: ${messages.at(-1)!.content.split('\n').at(-1)}`);
        return model.client.generate(messages, settings, hooks);
      };
    },
    model: (role) => {
      const loaded = models[role]?.loaded;
      return loaded ? { label: loaded.label, key: loaded.key } : null;
    },
    template: () => template,
    judge: () => ({ error: 'not used' }),
    openDb: () => openEvalDatabase(dbName),
  };
}

/** The reproducible part of a summary: every figure but the timings. */
function figures(summary: RunSummary) {
  return {
    comparisons: summary.comparisons,
    arms: summary.arms.map(({ armId, answered, meanDistractors, metrics: { latency: _l, tps: _t, ...quality } }) => ({ armId, answered, meanDistractors, quality })),
    retrieval: summary.retrieval,
  };
}

function cliEval(args: string[]): Promise<RunSummary & { questions: number }> {
  return new Promise((done, fail) =>
    execFile('npm', ['run', '--silent', 'raft', '--', 'eval', ...args], { cwd: ROOT }, (error, stdout, stderr) => (error ? fail(new Error(`raft eval failed: ${stderr}`)) : done(JSON.parse(stdout)))),
  );
}

describe('a run in the app', () => {
  test('paused midway, "reloaded", resumed: every answer asked once, the numbers equal the CLI\'s', { timeout: 120_000 }, async () => {
    const dbName = `eval-state-${Math.random()}`;
    const asked: string[] = [];
    // 1. Start, and pause when the fifth answer is about to be asked (that answer is dropped).
    let first: EvaluationState;
    first = new EvaluationState(deps(dbName, asked, () => first.records.length === 5 && first.pause()));
    first.form.maxNewTokens = MAX_NEW_TOKENS;
    await first.start();
    expect(first.startError + first.error).toBe('');
    expect(first.records).toHaveLength(5);
    expect(first.run?.status).toBe('paused');
    expect(first.total).toBe(16); // 8 test questions × 2 models
    expect(asked).toHaveLength(5);

    // 2. A new page: the run, its settings and its answers come back from IndexedDB.
    const second = new EvaluationState(deps(dbName, asked));
    await second.load();
    expect(second.run?.id).toBe(first.run!.id);
    expect(second.records).toHaveLength(5);
    expect(second.resumable).toBe(true);
    expect(second.form.maxNewTokens).toBe(MAX_NEW_TOKENS);

    // Another model in a slot: resuming is refused, nothing is asked.
    const other = new EvaluationState({ ...deps(dbName, asked), model: (role) => ({ label: `other ${role}`, key: `text-generation|files:other:${role}|wasm|q8` }) });
    await other.load();
    await other.resume();
    expect(other.error).toMatch(/This run was started with echo \(local files\) as the base model: load it again on the Models page, with the same device and dtype, to resume \(now loaded: other base, wasm, q8\)/);
    expect(asked).toHaveLength(5);

    // 3. Resume: only the eleven missing answers are asked.
    await second.resume();
    expect(second.error).toBe('');
    expect(second.run?.status).toBe('done');
    expect(second.records).toHaveLength(16);
    expect(asked).toHaveLength(16);
    expect(new Set(asked).size).toBeLessThanOrEqual(16);
    expect(new Set(second.records.map((r) => r.key)).size).toBe(16);

    // 4. The CLI on the same docs, questions, models, settings and seed gives the same numbers.
    const cli = await cliEval([...WIKI, '--model', 'tests/models/tiny/echo', '--model', 'tests/models/tiny/llama', '--max-new-tokens', String(MAX_NEW_TOKENS), '--seed', '7']);
    expect(cli.questions).toBe(8);
    expect(figures(cli)).toEqual(figures(second.summary!));
    expect(cli.comparisons.map((c) => c.label)).toEqual(['Fine-tuned − base']);
    // The echo model repeats the prompt and never writes <ANSWER>:: under the default strict scoring it earns no
    // F1 (scored whole, the reference's words in the prompt used to give it some), in the app as in the CLI.
    expect(second.run!.settings.missingAnswer).toBe('zero');
    expect(second.summary!.arms[0].metrics.f1.mean).toBe(0);

    // 5. The exported JSON carries the same summary.
    const exported = JSON.parse(second.files()!['evaluation.json']);
    expect(figures(exported.summary)).toEqual(figures(second.summary!));
    expect(exported.records).toHaveLength(16);
  });

  test('answers that quote: citation, fidelity, distraction and format equal the CLI\'s (one document, quoting template)', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raft-eval-'));
    await writeFile(join(dir, 'template.json'), JSON.stringify(QUOTING_TEMPLATE));
    const state = new EvaluationState(deps(`eval-quoting-${Math.random()}`, [], () => {}, QUOTING_TEMPLATE));
    Object.assign(state.form, { maxNewTokens: 1500, k: 1, systems: { base: true } });
    await state.start();
    expect(state.startError + state.error).toBe('');
    const m = state.summary!.arms[0].metrics;
    // Every answer is in the format and quotes its document verbatim; the oracle is quoted when the retriever found it.
    expect([m.format.mean, m.fidelity.mean]).toEqual([1, 1]);
    expect(m.citation.mean).toBe(1);
    // Distracted: the one document was a distractor; a retrieved chunk that holds the answer anyway is no distractor.
    const distracted = state.records.filter((r) => r.documents.length === 1 && r.documents[0].role === 'distractor' && !r.documents[0].answerBearing);
    expect(distracted.length).toBeGreaterThan(0);
    expect(m.distracted.mean).toBeCloseTo(distracted.length / state.records.length, 12);
    expect(m.distracted.mean).toBeLessThan(1 - state.summary!.retrieval!.recall_at_k.mean!);
    const cli = await cliEval([...WIKI, '--model', 'tests/models/tiny/echo', '--k', '1', '--max-new-tokens', '1500', '--template', join(dir, 'template.json')]);
    expect(figures(cli)).toEqual(figures(state.summary!));
  });

  test('a question file for this run only: its rows resolved against the corpus, left out of the question set', { timeout: 60_000 }, async () => {
    const before = (await session.corpus.call('listQuestions', undefined)).length;
    const state = new EvaluationState(deps(`eval-file-${Math.random()}`, []));
    const rows = [
      { question: 'How long is the refund window of a monthly plan?', answer: '14 days', article: 'billing/refund-policy.md' },
      { question: 'What is the refund window of the Education plan?', answer: '45 days', article: 'billing/education-plan.md' },
      { question: 'Ghost?', answer: 'none', chunk_id: 'c_doesnotexist' },
    ];
    await state.chooseFile('mine.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'));
    expect(state.form.source).toBe('file');
    expect(state.form.file?.questions.map((q) => q.answer)).toEqual(['14 days', '45 days']);
    expect(state.form.file?.problems).toEqual([expect.stringMatching(/^line 3: "Ghost\?": .*c_doesnotexist/)]);
    Object.assign(state.form, { maxNewTokens: 4, systems: { base: true } });
    await state.start();
    expect(state.startError + state.error).toBe('');
    expect(state.run?.manifest.questions).toMatchObject({ kind: 'file', source: 'mine.jsonl', count: 2 });
    expect(state.records).toHaveLength(2);
    expect((await session.corpus.call('listQuestions', undefined)).length).toBe(before);
  });

  test('cancel stops for good: the answers so far stay, the run cannot be resumed', { timeout: 60_000 }, async () => {
    let state: EvaluationState;
    state = new EvaluationState(deps(`eval-cancel-${Math.random()}`, [], () => state.records.length === 2 && void state.cancel()));
    Object.assign(state.form, { maxNewTokens: 4, systems: { base: true } });
    await state.start();
    expect(state.run?.status).toBe('cancelled');
    expect(state.records).toHaveLength(2);
    expect(state.resumable).toBe(false);
    expect(state.summary?.arms[0].answered).toBe(2);
  });

  test('a run left "running" by a closed page is shown as paused, with the reason (a notice, not an error)', async () => {
    const dbName = `eval-interrupted-${Math.random()}`;
    const repo = new EvalRepo(await openEvalDatabase(dbName));
    const state = new EvaluationState(deps(dbName, []));
    const settings = state.form.settings(DEFAULT_TEMPLATE);
    if ('error' in settings) throw new Error(settings.error);
    await repo.putRun({
      id: 'r1',
      createdAt: 1,
      updatedAt: 1,
      status: 'running',
      settings: settings.settings,
      arms: [],
      questions: [],
      manifest: { version: 1, tool: 'raft-playground', corpusFingerprint: 'x', chunks: 0, articles: 0, questions: { kind: 'test-split', source: 'test split', count: 0, fingerprint: 'y' }, models: {}, embedder: null },
    });
    await state.load();
    expect(state.run?.status).toBe('paused');
    expect(state.run?.notice).toMatch(/Interrupted: the page was closed or reloaded/);
    expect(state.error).toBe('');
    expect((await repo.getRun('r1'))?.status).toBe('paused');
  });

  test('starting says what is missing: an empty test split, a model not loaded', async () => {
    const state = new EvaluationState({ ...deps(`eval-missing-${Math.random()}`, []), model: (role) => (role === 'base' ? { label: 'b', key: 'b' } : null) });
    await state.start();
    expect(state.startError).toBe('Load the fine-tuned model on the Models page first.');
    expect(state.run).toBeNull();
  });
});

test('the evaluation database opens again at its version without losing a record', async () => {
  const name = `eval-db-${Math.random()}`;
  const db = await openEvalDatabase(name);
  expect(db.version).toBe(EVAL_DB_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['records', 'runs']);
  await db.put('records', { runId: 'r', key: 'a|q', armId: 'a', pairId: 'q' } as never);
  db.close();
  const again = await openEvalDatabase(name);
  expect(await again.countFromIndex('records', 'by-run', 'r')).toBe(1);
  await new EvalRepo(again).deleteRun('r');
  expect(await again.count('records')).toBe(0);
  again.close();
});
