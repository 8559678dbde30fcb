// Training in the app's trainer (jax-js LoRA, the recipe's settings, rank 16 on all seven projections): tokens/s
// and step time for the demo base model (0.69 M parameters, trained here) and the recipe's tiny Llama (built with
// Python when the recipe venv exists), on the sample wiki's RAFT chats, in Node (WASM) and in Chromium through
// the real worker (WASM; WebGPU in the full run, SwiftShader here: a GPU emulated on the CPU, not a GPU figure).
// The first step compiles the kernels and is left out of the rates.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from '../../src/cli/commands/build';
import { readModelFolder } from '../../src/cli/model-folder';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { TrainerClient, type TrainDevice } from '../../src/lib/clients/trainer';
import type { ChatMessage } from '../../src/lib/core/generation';
import type { StepLog } from '../../src/lib/core/train/output-files';
import { RECIPE_DEFAULTS, type TrainSettings } from '../../src/lib/core/train/settings';
import { createTrainHandlers } from '../../src/lib/workers/train/handler';
import type { TrainBenchParams, TrainBenchResult } from '../browser/train-page';
import type { BenchContext } from '../context';
import { figure, summarize, type Figure } from '../harness';
import { serveBenchPage } from '../support/bench-page';
import { launchChromium } from '../support/chromium';
import { serveModelFolder } from '../support/model-route';

const VENV_PYTHON = 'node_modules/.cache/raft-recipe-venv/bin/python';
const TINY = 'node_modules/.cache/raft-train-tiny';

/** The sample wiki's RAFT export in chat format (train split), as the app builds it; `extra`: more `raft build` options. */
export async function sampleChats(ctx: BenchContext, extra: string[] = []): Promise<ChatMessage[][]> {
  const out = await mkdtemp(join(tmpdir(), 'raft-bench-train-'));
  await build(['--docs', join(ctx.root, 'public/sample-wiki'), '--questions', join(ctx.root, 'public/sample-wiki/questions.jsonl'), '--format', 'chat', '--out', out, ...extra], () => {});
  return (await readFile(join(out, 'train.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { messages: ChatMessage[] }).messages);
}

/** The recipe's tiny Llama (make_tiny_base.py + export_onnx.py), built once; null without the recipe venv. */
async function tinyModel(ctx: BenchContext): Promise<string | null> {
  const folder = join(ctx.root, TINY);
  if (existsSync(join(folder, 'onnx/onnx/model.onnx'))) return join(folder, 'onnx');
  const python = join(ctx.root, VENV_PYTHON);
  if (!existsSync(python)) return null;
  const run = (args: string[]) =>
    new Promise<void>((done, fail) => execFile(python, args, { cwd: ctx.root, env: { ...process.env, HF_HUB_OFFLINE: '1', PYTHONWARNINGS: 'ignore' } }, (error) => (error ? fail(error) : done())));
  ctx.log('building the recipe tiny Llama (Python, once)');
  await run(['recipes/make_tiny_base.py', '--out', join(folder, 'base')]);
  await run(['recipes/export_onnx.py', '--model', join(folder, 'base'), '--out', join(folder, 'onnx')]);
  return join(folder, 'onnx');
}

function rates(steps: StepLog[]): { tokensPerSecond: number[]; stepMs: number[] } {
  const timed = steps.length > 1 ? steps.slice(1) : steps;
  return { tokensPerSecond: timed.map((s) => (s.tokens * 1000) / s.ms), stepMs: timed.map((s) => s.ms) };
}

async function inNode(folder: string, chats: ChatMessage[][], settings: TrainSettings): Promise<StepLog[]> {
  const { endpoint, close } = inProcessEndpoint(createTrainHandlers({ allowHub: false }));
  const client = new TrainerClient(endpoint, close);
  try {
    return (await client.train({ base: await readModelFolder(folder, 'fp32'), chats, settings, device: 'wasm' })).record.steps;
  } finally {
    client.terminate();
  }
}

async function inBrowser(ctx: BenchContext, url: string, folder: string, device: TrainDevice, chats: ChatMessage[][], settings: TrainSettings): Promise<TrainBenchResult> {
  let browser: Browser | null = null;
  try {
    browser = await launchChromium({ webgpu: device === 'webgpu' });
    const context = await browser.newContext();
    const modelUrl = await serveModelFolder(context, folder, url);
    const page = await context.newPage();
    page.on('pageerror', (error) => ctx.log(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'benchTrain' in window);
    const params: TrainBenchParams = { modelUrl, device, chats, settings };
    return await page.evaluate((p) => (window as unknown as { benchTrain: (p: TrainBenchParams) => Promise<TrainBenchResult> }).benchTrain(p), params);
  } finally {
    await browser?.close();
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const all = await sampleChats(ctx);
  // NOTE: --quick (the smoke run of npm test) only checks the case runs: two steps of the two shortest chats, the
  // demo model, Node. The full run: six steps of the recipe's 8 examples, both models, Node and Chromium.
  const chats = ctx.quick ? [...all].sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length).slice(0, 2) : all;
  const settings: TrainSettings = ctx.quick ? { ...RECIPE_DEFAULTS, batchSize: 1, gradAccum: 2, maxSteps: 2 } : { ...RECIPE_DEFAULTS, maxSteps: 6 };
  const models: { name: string; folder: string }[] = [{ name: 'demo base (0.69 M)', folder: join(ctx.root, 'public/models/demo/base') }];
  const tiny = ctx.quick ? null : await tinyModel(ctx).catch((error: Error) => (ctx.log(`tiny Llama not built: ${error.message}`), null));
  if (tiny) models.unshift({ name: 'recipe tiny Llama (0.34 M)', folder: tiny });
  else if (!ctx.quick) ctx.log('no recipe venv: the tiny Llama is skipped (npm run test:recipe creates the venv)');

  const figures: Figure[] = [];
  const report = (label: string, model: string, steps: StepLog[], note: string) => {
    const { tokensPerSecond, stepMs } = rates(steps);
    const tokens = Math.round(steps.reduce((n, s) => n + s.tokens, 0) / steps.length);
    figures.push(
      figure(`${label}: ${model}, training`, 'tokens/s', summarize(tokensPerSecond), { note: `${note}; ${settings.batchSize * settings.gradAccum} examples, ~${tokens} tokens a step, first (compiling) step left out` }),
      figure(`${label}: ${model}, step time`, 'ms', summarize(stepMs)),
    );
  };
  for (const { name, folder } of models) {
    ctx.log(`Node WASM: ${name}, ${settings.maxSteps} steps`);
    report('Node WASM', name, await inNode(folder, chats, settings), 'jax-js wasm backend, one thread');
  }
  if (ctx.quick) return figures;
  const { url, server } = await serveBenchPage(ctx.root, 'train.html');
  try {
    for (const device of ['wasm', 'webgpu'] as const) {
      for (const { name, folder } of models) {
        // NOTE: SwiftShader runs a step many times slower than WASM: three steps (two timed) are enough there.
        const run = device === 'webgpu' ? { ...settings, maxSteps: 3 } : settings;
        ctx.log(`Chromium ${device}: ${name}, ${run.maxSteps} steps`);
        const result = await inBrowser(ctx, url, folder, device, chats, run);
        const note = device === 'webgpu' ? 'SwiftShader: CPU-emulated, so not a GPU figure' : `worker, crossOriginIsolated ${result.crossOriginIsolated}`;
        report(`Chromium ${device === 'wasm' ? 'WASM' : 'WebGPU'}`, name, result.steps, note);
      }
    }
  } finally {
    await server.close();
  }
  return figures;
}
