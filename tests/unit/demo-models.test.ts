// The demo models shipped in public/models/demo, as `raft eval` scores them (the acceptance command,
// on its first test questions): greedy decoding is deterministic, so the replies must be word for word those of
// the published run in recipes/demo/results/forced-k5 (the README's table), and so must the scores. Loading
// them this way also goes through the app's model loader in Node. Fails naming a demo model that is missing.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { DEMO_FOLDERS } from '../../src/lib/config/demo-models';
import { parseCsv } from '../../src/lib/core/questions/csv';

const ROOT = resolve(import.meta.dirname, '../..');
const PUBLISHED = join(ROOT, 'recipes/demo/results/forced-k5/evaluation-questions.csv');
/** Test questions rerun: each takes both models about 3 s. */
const FIRST = 12;

function raft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile('npm', ['run', '--silent', 'raft', '--', ...args], { cwd: ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** The CSV's rows as objects keyed by its header. */
async function readRows(path: string): Promise<Record<string, string>[]> {
  const [header, ...records] = parseCsv(await readFile(path, 'utf8')).records.map((r) => r.fields);
  return records.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ''])));
}

test('raft eval of the demo models gives the published replies and scores, word for word', { timeout: 600_000 }, async () => {
  const models = Object.values(DEMO_FOLDERS).map((folder) => join(ROOT, 'public/models/demo', folder));
  for (const model of models) {
    const onnx = join(model, 'onnx/model_quantized.onnx');
    if (!existsSync(onnx)) throw new Error(`${onnx} is missing: the demo models are committed in public/models/demo (recipes/demo/train_demo_models.py trains them).`);
  }
  const rows = (await readFile(join(ROOT, 'public/sample-wiki/questions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { split: string });
  const dir = await mkdtemp(join(tmpdir(), 'raft-demo-eval-'));
  await writeFile(join(dir, 'first.jsonl'), rows.filter((r) => r.split === 'test').slice(0, FIRST).map((r) => JSON.stringify(r)).join('\n'));
  const args = ['eval', '--docs', 'public/sample-wiki', '--questions', join(dir, 'first.jsonl'), ...models.flatMap((m) => ['--model', m]), '--k', '5', '--oracle', 'forced', '--missing-answer', 'zero', '--dtype', 'q8', '--out', dir];
  const { code, stderr } = await raft(args);
  expect(code, stderr).toBe(0);

  const published = new Map((await readRows(PUBLISHED)).map((r) => [`${r.arm}|${r.question}`, r]));
  const rerun = await readRows(join(dir, 'evaluation-questions.csv'));
  expect(rerun).toHaveLength(2 * FIRST);
  for (const row of rerun) {
    const before = published.get(`${row.arm}|${row.question}`);
    expect(before, `${row.arm} on "${row.question}" is not in the published run`).toBeDefined();
    for (const field of ['reply', 'cited_oracle', 'quote_fidelity', 'format_valid', 'distracted']) expect(row[field], `${field} of ${row.arm} on "${row.question}"`).toBe(before![field]);
  }
});
