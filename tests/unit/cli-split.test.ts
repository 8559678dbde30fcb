// Issue 13.1: a split given in the questions file is the user's. `build` and `eval` keep it and draw a side only
// for the questions without one, and the manifest says the split was mixed (and rebuilds it).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** A hang guard, not a timing check: the CLI takes seconds to start on a loaded machine. */
const CLI_TIMEOUT_MS = 120_000;
const DOCS = 'public/sample-wiki';

function raft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile('npm', ['run', '--silent', 'raft', '--', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let dir: string;
let questions: string;
/** The 5 questions the file puts in test. */
let givenTest: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raft-split-'));
  const rows = (await readFile(join(ROOT, DOCS, 'questions.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .slice(0, 10)
    .map((line) => JSON.parse(line) as { question: string; split?: string });
  // Every other row, so the given test rows are spread over articles the seeded split would otherwise draw.
  rows.forEach((row, i) => (i % 2 === 0 ? (row.split = 'test') : delete row.split));
  givenTest = rows.filter((row) => row.split === 'test').map((row) => row.question);
  questions = join(dir, 'questions.jsonl');
  await writeFile(questions, rows.map((row) => JSON.stringify(row)).join('\n'));
});

const mentions = (text: string, question: string) => text.includes(JSON.stringify(question).slice(1, -1));

test('build keeps the 5 given test questions in test.jsonl, says the split was mixed, and --manifest rebuilds it', { timeout: 2 * CLI_TIMEOUT_MS }, async () => {
  const out = join(dir, 'build');
  const built = await raft(['build', '--docs', DOCS, '--questions', questions, '--seed', '3', '--out', out]);
  expect(built.code, built.stderr).toBe(0);
  const [train, testFile, manifestText] = await Promise.all(['train.jsonl', 'test.jsonl', 'manifest.json'].map((name) => readFile(join(out, name), 'utf8')));
  for (const question of givenTest) {
    expect(mentions(testFile, question), question).toBe(true);
    expect(mentions(train, question), question).toBe(false);
  }
  expect(JSON.parse(manifestText).split).toEqual({ method: 'mixed', testFraction: 0.2, seed: 3, byArticle: true });
  const again = join(dir, 'rebuild');
  const rebuilt = await raft(['build', '--manifest', join(out, 'manifest.json'), '--docs', DOCS, '--questions', questions, '--out', again]);
  expect(rebuilt.code, rebuilt.stderr).toBe(0);
  expect(await readFile(join(again, 'test.jsonl'), 'utf8')).toBe(testFile);
});

test('eval evaluates every question the file puts in test', { timeout: CLI_TIMEOUT_MS }, async () => {
  const out = join(dir, 'eval');
  const run = await raft(['eval', '--docs', DOCS, '--questions', questions, '--model', 'tests/models/tiny/echo', '--max-new-tokens', '4', '--distractors', '0', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  const csv = await readFile(join(out, 'evaluation-questions.csv'), 'utf8');
  for (const question of givenTest) expect(mentions(csv, question) || csv.includes(question.replace(/"/g, '""')), question).toBe(true);
  expect(JSON.parse(run.stdout).questions).toBeGreaterThanOrEqual(5);
});
