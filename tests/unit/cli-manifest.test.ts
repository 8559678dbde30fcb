// `raft build --manifest`: an export's manifest.json rebuilds byte-identical files from the same docs and
// questions, and refuses, naming what differs, when the questions or the docs changed or a recipe flag is given.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { manifestCommand } from '../../src/lib/state/dataset-cli';
import { startOpenAiServer } from '../support/openai-server';

const ROOT = resolve(import.meta.dirname, '../..');
/** A hang guard, not a timing check: the CLI takes seconds to start on a loaded machine. */
const CLI_TIMEOUT_MS = 120_000;
const DOCS = 'public/sample-wiki';
/** The sample wiki's questions, which give each row its split. */
const GIVEN_SPLIT = 'public/sample-wiki/questions.jsonl';
/** The same rows without their split (written in beforeAll), so the recipe's seeded split applies. */
let QUESTIONS: string;
const FILES = ['train.jsonl', 'test.jsonl', 'manifest.json'];

function raft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile('npm', ['run', '--silent', 'raft', '--', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let first: string;
let manifestPath: string;

beforeAll(async () => {
  // An export with a recipe far from the defaults: every value must come back from the manifest.
  first = await mkdtemp(join(tmpdir(), 'raft-m-'));
  QUESTIONS = join(await mkdtemp(join(tmpdir(), 'raft-mq-')), 'questions.jsonl');
  const rows = (await readFile(GIVEN_SPLIT, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  await writeFile(QUESTIONS, rows.map(({ split: _split, ...row }) => JSON.stringify(row)).join('\n'));
  const template = { system: 'Answer from the documents only.', document: '[{title}] {text}\n', user: 'Question: {question}\n{documents}' };
  await writeFile(join(first, 'template.json'), JSON.stringify(template));
  const args = ['--distractors', '3', '--p-oracle', '0.6', '--seed', '11', '--strategy', 'mixed', '--hard', '1', '--format', 'completion', '--test-fraction', '0.3', '--context-budget', '4096'];
  const built = await raft(['build', '--docs', DOCS, '--questions', QUESTIONS, ...args, '--template', join(first, 'template.json'), '--out', first]);
  expect(built.code, built.stderr).toBe(0);
  manifestPath = join(first, 'manifest.json');
}, CLI_TIMEOUT_MS);

test('the manifest records the split, the chunking, the questions fingerprint and the chain-of-thought source', async () => {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  expect(manifest.version).toBe(2);
  expect(manifest.params).toMatchObject({ distractors: 3, pOracle: 0.6, seed: 11, strategy: 'mixed', hardCount: 1, contextBudget: 4096 });
  expect(manifest.split).toEqual({ method: 'seeded', testFraction: 0.3, seed: 11, byArticle: true });
  expect(manifest.chunking).toMatchObject({ tokenizer: 'approximate', options: { targetTokens: 200, maxTokens: 256 } });
  expect(manifest.cot).toEqual({ source: 'template', model: null, settings: null, written: 0, fellBack: 0 });
  expect(manifest.completion).toEqual({ separator: '\n\n###\n\n', stop: '<STOP>' });
  expect(manifest.questionsFingerprint).toMatch(/^[0-9a-z]{11}$/);
  expect(manifest.counts.questions).toBe(200);
});

test('build --manifest rebuilds byte-identical files from the same docs and questions', { timeout: CLI_TIMEOUT_MS }, async () => {
  const again = await mkdtemp(join(tmpdir(), 'raft-m2-'));
  // The command the Dataset page shows, with its placeholders filled in.
  const shown = manifestCommand({ embedder: false, cot: 'template' });
  const filled = shown.replace('manifest.json', manifestPath).replace('<folder>', DOCS).replace('<file>', QUESTIONS).replace('<folder>', again);
  const rebuilt = await raft(filled.replace(/^npm run raft -- /, '').split(' '));
  expect(rebuilt.code, rebuilt.stderr).toBe(0);
  for (const name of FILES) expect(await readFile(join(again, name), 'utf8'), name).toBe(await readFile(join(first, name), 'utf8'));
  expect(rebuilt.stderr).not.toMatch(/differs from/);
});

test('build --manifest refuses questions with one answer edited, or edited docs, and names what differs', { timeout: CLI_TIMEOUT_MS }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'raft-m3-'));
  // 1. One answer edited.
  const lines = (await readFile(QUESTIONS, 'utf8')).split('\n');
  const row = JSON.parse(lines[3]);
  lines[3] = JSON.stringify({ ...row, answer: `${row.answer} (edited)` });
  await writeFile(join(dir, 'questions.jsonl'), lines.join('\n'));
  // 2. One article edited.
  await cp(DOCS, join(dir, 'docs'), { recursive: true });
  const article = join(dir, 'docs/billing/refund-policy.md');
  await writeFile(article, (await readFile(article, 'utf8')).replace('14 days', '15 days'));
  const [questions, docs] = await Promise.all([
    raft(['build', '--manifest', manifestPath, '--docs', DOCS, '--questions', join(dir, 'questions.jsonl'), '--out', join(dir, 'q-out')]),
    raft(['build', '--manifest', manifestPath, '--docs', join(dir, 'docs'), '--questions', QUESTIONS, '--out', join(dir, 'd-out')]),
  ]);
  expect(questions.code).not.toBe(0);
  expect(questions.stderr).toMatch(/Cannot rebuild the dataset of this manifest: the questions differ \(fingerprint \w+, 200 usable questions here; \w+, 200 in the manifest\)/);
  expect(questions.stderr).not.toMatch(/the corpus differs/);
  expect(docs.code).not.toBe(0);
  expect(docs.stderr).toMatch(/the corpus differs \(fingerprint \w+, \d+ chunks here; \w+, \d+ chunks in the manifest\): --docs is not the folder/);
  // Nothing was written for either.
  expect(await readdir(dir)).toEqual(['docs', 'questions.jsonl']);
});

test('a recipe flag beside --manifest is refused; an old manifest is refused with what to do', { timeout: CLI_TIMEOUT_MS }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'raft-m4-'));
  const old = { ...JSON.parse(await readFile(manifestPath, 'utf8')), version: 1 };
  await writeFile(join(dir, 'old.json'), JSON.stringify(old));
  const [flag, version] = await Promise.all([
    raft(['build', '--manifest', manifestPath, '--docs', DOCS, '--questions', QUESTIONS, '--seed', '3', '--format', 'chat', '--out', join(dir, 'a')]),
    raft(['build', '--manifest', join(dir, 'old.json'), '--docs', DOCS, '--questions', QUESTIONS, '--out', join(dir, 'b')]),
  ]);
  expect(flag.code).not.toBe(0);
  expect(flag.stderr).toMatch(/--seed, --format cannot be given with --manifest: the manifest sets the whole recipe/);
  expect(version.code).not.toBe(0);
  expect(version.stderr).toMatch(/is version 1; --manifest reads version 2/);
});

test('a corpus chunked with an embedding model records it, even for lexical distractors, and its rebuild needs the model', { timeout: CLI_TIMEOUT_MS }, async () => {
  const [a, b] = await Promise.all([mkdtemp(join(tmpdir(), 'raft-m5-')), mkdtemp(join(tmpdir(), 'raft-m6-'))]);
  const model = ['--model', 'tests/models/tiny/embedder'];
  const built = await raft(['build', '--docs', DOCS, '--questions', QUESTIONS, ...model, '--mode', 'lexical', '--out', a]);
  expect(built.code, built.stderr).toBe(0);
  const manifest = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8'));
  expect(manifest.models.embedder).toBe('embedder (local files)');
  expect(manifest.chunking.tokenizer).toMatch(/^files:embedder:\w+\|fp32$/);
  const args = ['build', '--manifest', join(a, 'manifest.json'), '--docs', DOCS, '--questions', QUESTIONS, '--out', b];
  const [without, rebuilt] = await Promise.all([raft(args), raft([...args, ...model])]);
  expect(without.code).not.toBe(0);
  expect(without.stderr).toMatch(/was chunked with the tokenizer of embedder \(local files\): pass --model <folder of that embedding model>/);
  expect(rebuilt.code, rebuilt.stderr).toBe(0);
  for (const name of FILES) expect(await readFile(join(b, name), 'utf8'), name).toBe(await readFile(join(a, name), 'utf8'));
});

test('a split the questions file gives is recorded as given, and its rebuild needs a file that gives it', { timeout: CLI_TIMEOUT_MS }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'raft-m7-'));
  const built = await raft(['build', '--docs', DOCS, '--questions', GIVEN_SPLIT, '--out', join(dir, 'a')]);
  expect(built.code, built.stderr).toBe(0);
  const manifest = JSON.parse(await readFile(join(dir, 'a/manifest.json'), 'utf8'));
  expect(manifest.split).toEqual({ method: 'given', testFraction: null, seed: null, byArticle: null });
  expect(manifest.counts).toMatchObject({ train: 94, test: 106 });
  const args = ['build', '--manifest', join(dir, 'a/manifest.json'), '--docs', DOCS];
  const [same, unsplit] = await Promise.all([raft([...args, '--questions', GIVEN_SPLIT, '--out', join(dir, 'b')]), raft([...args, '--questions', QUESTIONS, '--out', join(dir, 'c')])]);
  expect(same.code, same.stderr).toBe(0);
  for (const name of FILES) expect(await readFile(join(dir, 'b', name), 'utf8'), name).toBe(await readFile(join(dir, 'a', name), 'utf8'));
  expect(unsplit.code).not.toBe(0);
  expect(unsplit.stderr).toMatch(/The split of this manifest came with its questions .* use a questions file that gives each question its split/);
});

test('model-written chain-of-thought: the writer settings come from the manifest, the endpoint from --endpoint', { timeout: CLI_TIMEOUT_MS }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'raft-m8-'));
  const server = await startOpenAiServer();
  try {
    // Under this prompt the echo model (it repeats the last user turn) writes a valid answer.
    await writeFile(join(dir, 'prompt.json'), JSON.stringify({ system: '', user: '##Reason: ##begin_quote##{quote}##end_quote## <ANSWER>: {answer}' }));
    await writeFile(join(dir, 'questions.jsonl'), (await readFile(QUESTIONS, 'utf8')).split('\n').slice(0, 4).join('\n'));
    const inputs = ['--docs', DOCS, '--questions', join(dir, 'questions.jsonl')];
    const writer = ['--cot', 'endpoint', '--endpoint-model', 'echo', '--cot-prompt', join(dir, 'prompt.json'), '--attempts', '2', '--min-answer-f1', '0.4', '--max-new-tokens', '512'];
    const built = await raft(['build', ...inputs, '--p-oracle', '1', ...writer, '--endpoint', server.baseUrl, '--out', join(dir, 'a')]);
    expect(built.code, built.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'a/manifest.json'), 'utf8'));
    expect(manifest.cot).toMatchObject({ source: 'endpoint', model: 'echo', settings: { attempts: 2, minAnswerF1: 0.4 }, written: 4, fellBack: 0 });
    const rebuild = ['build', '--manifest', join(dir, 'a/manifest.json'), ...inputs];
    const [rebuilt, refused] = await Promise.all([
      raft([...rebuild, '--endpoint', server.baseUrl, '--concurrency', '2', '--out', join(dir, 'b')]),
      raft([...rebuild, '--endpoint', server.baseUrl, '--attempts', '5', '--out', join(dir, 'c')]),
    ]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    // Asked again (a fresh --out holds no written answers) with the same prompt and greedy decoding: the same files.
    expect(server.requests).toBe(8);
    for (const name of FILES) expect(await readFile(join(dir, 'b', name), 'utf8'), name).toBe(await readFile(join(dir, 'a', name), 'utf8'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--attempts cannot be given with --manifest/);
  } finally {
    await server.close();
  }
});
