// The fine-tuning recipe end to end (recipes/test_recipe.sh: tiny base -> RAFT dataset -> LoRA -> merge ->
// ONNX), then the exported folder loaded and run through the app's own model path. It needs Python with
// recipes/requirements.txt: RAFT_RECIPE_PYTHON (a python, or a venv folder), else the venv at
// node_modules/.cache/raft-recipe-venv, created here from the configured package index when it is missing
// (RAFT_RECIPE_INSTALL=0 turns that off; RAFT_RECIPE_PIP_ARGS overrides the pip arguments). Without Python
// packages the test is skipped with a warning naming what is missing. It is its own vitest project (`recipe`,
// `npm run test:recipe`), so `npm run test:unit` stays fast; `npm test` runs it before the arena e2e test,
// which loads the model it keeps.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';

const ROOT = resolve(import.meta.dirname, '../..');
const VENV = resolve(ROOT, 'node_modules/.cache/raft-recipe-venv');
/** Where the exported model is kept for browser tests (tests/models is generated, not committed). */
const KEPT = resolve(ROOT, 'tests/models/finetuned/tiny-raft');
const MODULES = ['torch', 'transformers', 'peft', 'trl', 'datasets', 'accelerate', 'onnx', 'onnxruntime', 'tokenizers'];
const INSTALL_TIMEOUT_MS = 180_000;
const RECIPE_TIMEOUT_MS = 150_000;

interface Finished {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs a command in its own process group; on timeout that group (and only it) is killed. */
function run(command: string, args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, output: String(error), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output, timedOut });
    });
  });
}

const tail = (text: string, chars = 1500) => text.trim().slice(-chars);

/** The recipe's modules this python cannot import, or why it cannot run at all. */
async function missingModules(python: string): Promise<string[]> {
  const script = `import importlib.util, json; print(json.dumps([m for m in ${JSON.stringify(MODULES)} if importlib.util.find_spec(m) is None]))`;
  const result = await run(python, ['-c', script], 30_000);
  if (result.code !== 0) return [`a working python at ${python} (${tail(result.output, 200) || 'did not start'})`];
  return JSON.parse(result.output.trim().split('\n').at(-1)!) as string[];
}

/** pip arguments: RAFT_RECIPE_PIP_ARGS, else the local (file://) indexes and find-links of the pip config. */
async function pipArgs(): Promise<{ args: string; torch?: string }> {
  const config = await run('python3', ['-m', 'pip', 'config', 'list'], 30_000);
  const values = (key: string) =>
    [...config.output.matchAll(new RegExp(`\\.${key}='([^']*)'`, 'g'))].flatMap((m) => m[1].split(/\s+/)).filter(Boolean);
  const findLinks = [...new Set(values('find-links'))];
  // NOTE: the CPU build of torch, when a find-links folder has one; else setup_venv.sh uses the PyTorch CPU index.
  const wheel = findLinks
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).filter((f) => /^torch-.*\+cpu-.*\.whl$/.test(f)).map((f) => join(dir, f)))
    .at(-1);
  if (process.env.RAFT_RECIPE_PIP_ARGS) return { args: process.env.RAFT_RECIPE_PIP_ARGS, torch: wheel };
  const local = [...new Set([...values('index-url'), ...values('extra-index-url')])].filter((url) => url.startsWith('file:'));
  const [index, ...extra] = local;
  const args = [index && `--index-url ${index}`, ...extra.map((url) => `--extra-index-url ${url}`), ...findLinks.map((d) => `--find-links ${d}`)];
  return { args: args.filter(Boolean).join(' '), torch: wheel };
}

/** A python with every recipe module, or the reason there is none. */
async function findPython(): Promise<{ python: string } | { reason: string }> {
  const given = process.env.RAFT_RECIPE_PYTHON;
  if (given) {
    const python = existsSync(join(given, 'bin/python')) ? join(given, 'bin/python') : given;
    const missing = await missingModules(python);
    return missing.length ? { reason: `RAFT_RECIPE_PYTHON=${given} lacks: ${missing.join(', ')}` } : { python };
  }
  const python = join(VENV, 'bin/python');
  if (existsSync(python) && (await missingModules(python)).length === 0) return { python };
  if (process.env.RAFT_RECIPE_INSTALL === '0') {
    return { reason: `no Python with ${MODULES.join(', ')}: set RAFT_RECIPE_PYTHON, or unset RAFT_RECIPE_INSTALL=0 to create ${VENV}` };
  }
  const pip = await pipArgs();
  const env = { RAFT_RECIPE_PIP_ARGS: pip.args, ...(pip.torch ? { RAFT_RECIPE_TORCH: pip.torch } : {}) };
  const install = await run('bash', ['recipes/setup_venv.sh', VENV], INSTALL_TIMEOUT_MS, env);
  const missing = existsSync(python) ? await missingModules(python) : ['the venv itself'];
  if (missing.length === 0) return { python };
  const why = install.timedOut ? `timed out after ${INSTALL_TIMEOUT_MS / 1000} s` : `exited with ${install.code}: ${tail(install.output, 600)}`;
  return { reason: `could not install ${missing.join(', ')} into ${VENV} (pip ${pip.args || 'with default index'}; ${why})` };
}

let setup: { python: string } | { reason: string };
let work: string | undefined;
const clients: GeneratorClient[] = [];

beforeAll(async () => {
  setup = await findPython();
}, INSTALL_TIMEOUT_MS + 30_000);

afterAll(async () => {
  clients.forEach((c) => c.terminate());
  if (work) await rm(work, { recursive: true, force: true });
});

function generator(): GeneratorClient {
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const client = new GeneratorClient(endpoint, close);
  clients.push(client);
  return client;
}

test('a model fine-tuned and exported by the recipe loads in the app and generates', async (ctx) => {
  if ('reason' in setup) {
    console.warn(`SKIPPED the fine-tuning recipe test: ${setup.reason}`);
    ctx.skip(setup.reason);
    return;
  }
  // 1. The recipe: tiny base, RAFT dataset from the sample wiki, LoRA, merge, ONNX export and its checks.
  work = await mkdtemp(join(tmpdir(), 'raft-recipe-'));
  const recipe = await run('bash', ['recipes/test_recipe.sh', work], RECIPE_TIMEOUT_MS, { RAFT_RECIPE_PYTHON: setup.python });
  expect(recipe.timedOut, `recipe timed out:\n${tail(recipe.output)}`).toBe(false);
  expect(recipe.code, `recipe failed:\n${tail(recipe.output)}`).toBe(0);
  expect(recipe.output).toContain(
    "inputs: input_ids int64['batch_size', 'sequence_length'], attention_mask int64['batch_size', 'total_sequence_length'], " +
      "position_ids int64['batch_size', 'sequence_length'], past_key_values.0.key float['batch_size', 2, 'past_sequence_length', 16]",
  );
  expect(recipe.output).toContain("outputs: logits float['batch_size', 'sequence_length', 2048], present.0.key float['batch_size', 2, 'total_sequence_length', 16]");
  expect(recipe.output).toMatch(/verified: .*model\.onnx/);

  // 2. Kept where a browser test can load it.
  await rm(KEPT, { recursive: true, force: true });
  await cp(join(work, 'onnx'), KEPT, { recursive: true });

  // 3. The app's loading path: folder -> handlers -> in-process endpoint -> GeneratorClient, fp32 then q8.
  for (const dtype of ['fp32', 'q8'] as const) {
    const client = generator();
    const model = await client.load(await readModelFolder(KEPT), { device: 'wasm', dtype });
    expect(model.modelType).toBe('llama');
    const prompt = await client.applyTemplate([{ role: 'user', content: 'How long is the refund window?' }]);
    expect(prompt.startsWith('<|im_start|>')).toBe(true);
    expect(prompt).toBe('<|im_start|>user\nHow long is the refund window?<|im_end|>\n<|im_start|>assistant\n');
    const settings = { maxNewTokens: 16, greedy: true, temperature: 0, topP: 1 };
    const reply = await client.generate([{ role: 'user', content: 'How long is the refund window?' }], settings);
    expect(reply.tokens, `${dtype}: ${JSON.stringify(reply.text)}`).toBe(16);
    expect(reply.stoppedBy).toBe('max-tokens');
  }
}, RECIPE_TIMEOUT_MS + 60_000);
