// The command line as a user runs it: help, clear errors with a non-zero exit, byte-identical reruns.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** A hang guard for tests that only start the CLI (about 3 s, more under load), not a timing check. */
const HANG_GUARD = { timeout: 60_000 };

function raft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile('npm', ['run', '--silent', 'raft', '--', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const WIKI = ['--docs', 'public/sample-wiki', '--questions', 'public/sample-wiki/questions.jsonl'];

test('--help documents every command and flag', HANG_GUARD, async () => {
  const { code, stdout } = await raft(['--help']);
  expect(code).toBe(0);
  for (const text of ['build', 'eval-retrieval', '--manifest', '--distractors', '--p-oracle', '--seed', '--mode', '--model', '--format', '--out', '--k']) expect(stdout).toContain(text);
});

test('build twice with the same seed gives byte-identical files; P and k show in the manifest', { timeout: 60_000 }, async () => {
  const [a, b] = await Promise.all([mkdtemp(join(tmpdir(), 'raft-a-')), mkdtemp(join(tmpdir(), 'raft-b-'))]);
  const args = [...WIKI, '--distractors', '3', '--p-oracle', '0.5', '--seed', '11', '--format', 'gorilla'];
  const [first, second] = await Promise.all([raft(['build', ...args, '--out', a]), raft(['build', ...args, '--out', b])]);
  expect(first.code).toBe(0);
  expect(second.code).toBe(0);
  for (const name of ['train.jsonl', 'test.jsonl', 'manifest.json']) expect(await readFile(join(a, name), 'utf8')).toBe(await readFile(join(b, name), 'utf8'));
  const manifest = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8'));
  expect(manifest.params).toMatchObject({ distractors: 3, pOracle: 0.5, seed: 11 });
  // The file's own split is kept: 94 train and 106 test rows.
  expect(manifest.counts).toMatchObject({ examples: 200, train: 94, test: 106 });
  const row = JSON.parse((await readFile(join(a, 'train.jsonl'), 'utf8')).split('\n')[0]);
  expect(row.context.sentences[0]).toHaveLength(4);
});

test('--template takes an edited template, or the manifest.json of an earlier export, and reproduces it', { timeout: 60_000 }, async () => {
  const [a, b] = await Promise.all([mkdtemp(join(tmpdir(), 'raft-t-')), mkdtemp(join(tmpdir(), 'raft-u-'))]);
  const template = { system: 'Answer from the documents only.', document: '[{title}] {text}\n', user: 'Question: {question}\n{documents}' };
  await writeFile(join(a, 'template.json'), JSON.stringify(template));
  const args = [...WIKI, '--format', 'chat', '--context-budget', '4096'];
  const first = await raft(['build', ...args, '--template', join(a, 'template.json'), '--out', a]);
  expect(first.code, first.stderr).toBe(0);
  const manifest = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8'));
  expect(manifest.template).toEqual(template);
  expect(manifest.params.contextBudget).toBe(4096);
  const row = JSON.parse((await readFile(join(a, 'train.jsonl'), 'utf8')).split('\n')[0]);
  expect(row.messages[0]).toEqual({ role: 'system', content: template.system });
  expect(row.messages[1].content).toMatch(/^Question: .+\n\[/);
  // The manifest of that export as --template gives the same files again.
  const second = await raft(['build', ...args, '--template', join(a, 'manifest.json'), '--out', b]);
  expect(second.code, second.stderr).toBe(0);
  for (const name of ['train.jsonl', 'test.jsonl', 'manifest.json']) expect(await readFile(join(b, name), 'utf8')).toBe(await readFile(join(a, name), 'utf8'));
  const bad = await raft(['build', ...args, '--template', join(a, 'train.jsonl'), '--out', b]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/--template .* could not be read as JSON/);
});

test('eval-retrieval prints one JSON object with the metrics', { timeout: 60_000 }, async () => {
  const { code, stdout } = await raft(['eval-retrieval', ...WIKI, '--k', '5']);
  expect(code).toBe(0);
  const result = JSON.parse(stdout.trim());
  expect(result).toMatchObject({ n: 200, k: 5, mode: 'lexical' });
  for (const key of ['recall_at_k', 'mrr', 'article_recall_at_k']) expect(result[key]).toBeGreaterThan(0.3);
});

describe('errors print a clear message and exit non-zero', () => {
  test.each([
    [['build', '--docs', 'no/such/folder', '--questions', 'public/sample-wiki/questions.jsonl', '--out', '/tmp/x'], /Docs folder not found/],
    [['build', '--docs', 'public/sample-wiki', '--questions', 'no-such.jsonl', '--out', '/tmp/x'], /Cannot read the questions file .*no such file/],
    [['build', ...WIKI, '--out', '/tmp/x', '--p-oracle', '2'], /--p-oracle must be a number from 0 to 1; got "2"/],
    [['build', ...WIKI, '--out', '/tmp/x', '--mode', 'dense'], /--mode dense needs --model/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('%j', HANG_GUARD, async (args, message) => {
    const { code, stderr } = await raft(args);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });

  test('unresolvable questions are listed, and the build stops unless --allow-unresolved', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raft-q-'));
    const file = join(dir, 'q.jsonl');
    await writeFile(file, '{"question": "Refund window?", "answer": "14 days", "article": "billing/refund-policy.md"}\n{"question": "Ghost?", "chunk_id": "c_doesnotexist"}\n');
    const stopped = await raft(['build', '--docs', 'public/sample-wiki', '--questions', file, '--out', join(dir, 'out')]);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/line 2: "Ghost\?": unknown chunk id c_doesnotexist/);
    const allowed = await raft(['build', '--docs', 'public/sample-wiki', '--questions', file, '--out', join(dir, 'out'), '--allow-unresolved']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/wrote 1 train and 0 test examples/);
  });
});

describe('eval', () => {
  const MODELS = ['--model', 'tests/models/tiny/echo', '--model', 'tests/models/tiny/llama'];
  // The sample wiki's first 8 test and 8 train rows (all 106 test questions take minutes with two models), and
  // the same rows without their split, for the flags that split a file that gives none.
  let FEW: string[];
  let UNSPLIT: string[];
  beforeAll(async () => {
    const rows = (await readFile(join(ROOT, 'public/sample-wiki/questions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { split: string });
    const few = [...rows.filter((r) => r.split === 'test').slice(0, 8), ...rows.filter((r) => r.split === 'train').slice(0, 8)];
    const dir = await mkdtemp(join(tmpdir(), 'raft-eval-q-'));
    await writeFile(join(dir, 'few.jsonl'), few.map((r) => JSON.stringify(r)).join('\n'));
    await writeFile(join(dir, 'unsplit.jsonl'), few.map(({ split: _split, ...r }) => JSON.stringify(r)).join('\n'));
    FEW = ['--docs', 'public/sample-wiki', '--questions', join(dir, 'few.jsonl')];
    UNSPLIT = ['--docs', 'public/sample-wiki', '--questions', join(dir, 'unsplit.jsonl')];
  });

  test('--help documents the eval flags', HANG_GUARD, async () => {
    const { code, stdout } = await raft(['eval', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--docs', '--questions', '--model', '--mode', '--embedder', '--k', '--oracle', '--distractors', '--closed-book', '--seed', '--max-new-tokens', '--missing-answer', '--out']) expect(stdout).toContain(flag);
    // Strict scoring is the CLI's default too; the lenient rule stays a choice.
    expect(stdout).toMatch(/--missing-answer <p> +a reply without <ANSWER>: scores 0 \(zero: strict\)[^]*\(reply: lenient[^\n]*\(default zero\)/);
    expect((await raft(['--help'])).stdout).toMatch(/eval\s+answer the test questions/);
  });

  test('two models over the test split: a summary on stdout, the JSON, CSVs and HTML report in --out, the same on a rerun', { timeout: 90_000 }, async () => {
    const [a, b] = await Promise.all([mkdtemp(join(tmpdir(), 'raft-eval-a-')), mkdtemp(join(tmpdir(), 'raft-eval-b-'))]);
    const args = ['eval', ...FEW, ...MODELS, '--max-new-tokens', '8', '--distractors', '0,2', '--closed-book', '--oracle', 'forced'];
    const [first, second] = await Promise.all([raft([...args, '--out', a]), raft([...args, '--out', b])]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.questions).toBe(8);
    expect(summary.arms.map((arm: { armId: string }) => arm.armId)).toEqual(['base@k5+0', 'base@k5+2', 'base@closed', 'tuned@k5+0', 'tuned@k5+2', 'tuned@closed']);
    // The oracle forced in: every question of an arm with retrieval shows it, so citation counts all 8.
    expect(summary.arms[0].metrics.citation.n).toBe(8);
    expect(summary.arms[1].meanDistractors).toBe(6);
    expect(summary.retrieval).toMatchObject({ n: 8, k: 5, mode: 'lexical' });
    const data = JSON.parse(await readFile(join(a, 'evaluation.json'), 'utf8'));
    expect(data.records).toHaveLength(6 * 8);
    expect(data.run.manifest).toMatchObject({ chunks: 169, articles: 25, questions: { kind: 'test-split', count: 8 } });
    expect(data.run.manifest.models.base.label).toBe('echo (local files)');
    expect((await readFile(join(a, 'evaluation-questions.csv'), 'utf8')).split('\r\n').filter(Boolean)).toHaveLength(1 + 48);
    expect(await readFile(join(a, 'evaluation-report.html'), 'utf8')).toContain(data.run.manifest.corpusFingerprint);
    // Greedy decoding and a seeded bootstrap: a rerun gives the same figures (timings aside).
    const figures = (s: { arms: { metrics: Record<string, unknown> }[] }) => s.arms.map(({ metrics: { latency: _l, tps: _t, ...rest } }) => rest);
    expect(figures(JSON.parse(second.stdout))).toEqual(figures(summary));
    expect(await readFile(join(b, 'evaluation-summary.csv'), 'utf8')).toContain('base@k5+0,"Base model, +0 distractors",em,');
  });

  test.each([
    [['eval', ...WIKI], /eval needs --model <language model folder>/],
    [['eval', ...WIKI, '--model', 'a', '--model', 'b', '--model', 'c'], /At most 2 --model folders/],
    [['eval', ...WIKI, '--model', 'tests/models/tiny/echo', '--mode', 'dense'], /--mode dense needs --embedder/],
    [['eval', ...WIKI, '--model', 'tests/models/tiny/echo', '--distractors', '1,x'], /--distractors: "x" is not a whole number from 0 to 20/],
    [['eval', ...WIKI, '--model', 'tests/models/tiny/echo', '--oracle', 'maybe'], /--oracle must be one of retrieved, forced, removed; got "maybe"/],
    [['eval', ...WIKI, '--model', 'no/such/model'], /Model folder not found/],
    [['eval', 'UNSPLIT', '--model', 'tests/models/tiny/echo', '--test-fraction', '0'], /The test split is empty/],
  ])('%j fails with a clear message', { timeout: 60_000 }, async (args, message) => {
    const { code, stderr } = await raft(args.flatMap((arg) => (arg === 'UNSPLIT' ? UNSPLIT : [arg])));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });
});
