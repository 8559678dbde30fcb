// gorilla's own `raft/format.py` (vendored in tests/fixtures/gorilla) reads the app's gorilla export unchanged in
// each of its output formats, with a custom template in the app. It needs a Python with `datasets` (and PyYAML):
// RAFT_RECIPE_PYTHON (a python, or a venv folder), else the recipe's venv (node_modules/.cache/raft-recipe-venv,
// made by recipes/setup_venv.sh or tests/recipe/recipe.test.ts), else python3; without one the test is skipped
// with a warning naming what is missing.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSession } from '../../src/cli/session';
import type { GorillaRow } from '../../src/lib/core/formats/raft-formats';
import { DEFAULT_RAFT_PARAMS } from '../../src/lib/core/raft/types';

const ROOT = resolve(import.meta.dirname, '../..');
const GORILLA = resolve(ROOT, 'tests/fixtures/gorilla');
const FORMATS = ['hf', 'completion', 'chat', 'eval'] as const;
const TIMEOUT_MS = 180_000;

function python(bin: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((done) =>
    execFile(bin, args, { cwd: GORILLA, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    ),
  );
}

/** A python that imports datasets and yaml, or why there is none. */
async function findPython(): Promise<{ bin: string } | { reason: string }> {
  const given = process.env.RAFT_RECIPE_PYTHON;
  const candidates = given
    ? [existsSync(join(given, 'bin/python')) ? join(given, 'bin/python') : given]
    : [resolve(ROOT, 'node_modules/.cache/raft-recipe-venv/bin/python'), 'python3'].filter((p) => p === 'python3' || existsSync(p));
  const tried: string[] = [];
  for (const bin of candidates) {
    const probe = await python(bin, ['-c', 'import datasets, yaml']);
    if (probe.code === 0) return { bin };
    tried.push(`${bin}: ${probe.output.trim().split('\n').at(-1) ?? 'did not start'}`);
  }
  return { reason: `no Python with the "datasets" package (${tried.join('; ')}): run recipes/setup_venv.sh, or set RAFT_RECIPE_PYTHON` };
}

let setup: { bin: string } | { reason: string };
let work: string | undefined;
let rows: GorillaRow[] = [];

beforeAll(async () => {
  setup = await findPython();
  // The export: the sample wiki with a template unlike gorilla's, which the gorilla format must not follow.
  const session = await openSession({ docs: 'public/sample-wiki', questions: 'public/sample-wiki/questions.jsonl', mode: 'lexical', log: () => {} });
  try {
    await session.corpus.call('splitQuestions', { testFraction: 0.2, seed: 7, byArticle: true });
    const template = { system: 'Answer from the documents.', document: '## {title}\n{text}\n\n', user: 'Question: {question}\n\nDocuments:\n{documents}' };
    const { files } = await session.corpus.call('buildDataset', { params: { ...DEFAULT_RAFT_PARAMS }, template, format: 'gorilla' });
    work = await mkdtemp(join(tmpdir(), 'raft-gorilla-'));
    await writeFile(join(work, 'train.jsonl'), files['train.jsonl']);
    rows = files['train.jsonl'].trim().split('\n').map((line) => JSON.parse(line) as GorillaRow);
  } finally {
    session.close();
  }
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test("gorilla format.py reads the gorilla export in its hf, completion, chat and eval formats", { timeout: TIMEOUT_MS }, async (ctx) => {
  if ('reason' in setup) {
    console.warn(`SKIPPED the gorilla format.py test: ${setup.reason}`);
    ctx.skip(setup.reason);
    return;
  }
  const { bin } = setup;
  const dir = work!;
  expect(rows.length).toBeGreaterThan(20);
  // 1. format.py once per output format, as its README runs it.
  const env = { LOGGING_CONFIG: join(GORILLA, 'logging.yaml'), HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_DATASETS_CACHE: join(dir, 'hf-cache') };
  const runs = await Promise.all(
    FORMATS.map((format) =>
      python(bin, ['format.py', '--input', join(dir, 'train.jsonl'), '--input-type', 'jsonl', '--output', join(dir, format), '--output-format', format, '--output-type', 'jsonl'], env),
    ),
  );
  runs.forEach((run, i) => expect(run.code, `${FORMATS[i]}: ${run.output.slice(-1500)}`).toBe(0));
  const read = async (format: string) => (await readFile(join(dir, `${format}.jsonl`), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  const [hf, completion, chat, evaluation] = await Promise.all(FORMATS.map(read));

  // 2. hf: every row as exported.
  expect(hf).toEqual(rows);
  // 3. completion: the instruction as prompt, the answer and gorilla's stop as completion.
  expect(completion).toEqual(rows.map((r) => ({ prompt: r.instruction, completion: `${r.cot_answer}<STOP>` })));
  // 4. chat: gorilla's system prompt, the instruction, the answer.
  expect(chat.map((c: { messages: { role: string; content: string }[] }) => c.messages.slice(1))).toEqual(
    rows.map((r) => [
      { role: 'user', content: r.instruction },
      { role: 'assistant', content: r.cot_answer },
    ]),
  );
  // 5. eval: question and context back apart: the context is the documents and nothing of the question.
  expect(evaluation).toEqual(
    rows.map((r) => ({
      question: r.question,
      context: r.context.sentences[0].map((text) => `<DOCUMENT>${text}</DOCUMENT>`).join('\n'),
      gold_final_answer: r.cot_answer.split('<ANSWER>: ').at(-1),
    })),
  );
  for (const e of evaluation) expect(e.context).not.toContain(e.question);
});
