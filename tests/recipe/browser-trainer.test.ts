// The in-browser trainer against the recipe: on the same tiny Llama (grouped-query attention, untied head,
// weights at std 0.1 so RoPE or mask mistakes show), the same four chats of the app's RAFT export, the same
// initial adapters (the app's, loaded into PEFT with --init-adapter) and hyper-parameters, the jax-js trainer's
// loss and gradient norm at each of 20 steps match recipes/finetune.py's (TRL + PEFT, LoRA dropout 0); and its
// adapters, merged into the weights in JS, give the logits PEFT's merge_and_unload gives in PyTorch. Needs the
// recipe venv (see recipe.test.ts); skipped, with the reason, without it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { init, numpy as np } from '@jax-js/jax';
import { afterAll, expect, test } from 'vitest';
import { readOnnxGraph } from '../../src/lib/core/onnx/onnx-graph';
import { stepBatches } from '../../src/lib/core/train/batches';
import { decoderConfig, decoderWeights } from '../../src/lib/core/train/decoder-weights';
import { mergeAdapters } from '../../src/lib/core/train/merge';
import { peftAdapterConfig, peftAdapterWeights } from '../../src/lib/core/train/peft-adapter';
import { learningRate, RECIPE_DEFAULTS, type TrainSettings } from '../../src/lib/core/train/settings';
import { tokenizeChat } from '../../src/lib/workers/train/chat-tokens';
import { frozenParams, logits, ropeTables } from '../../src/lib/workers/train/llama-lora';
import { initialAdapters, LoraTrainer } from '../../src/lib/workers/train/trainer';

const ROOT = resolve(import.meta.dirname, '../..');
const GIVEN = process.env.RAFT_RECIPE_PYTHON;
const PYTHON = GIVEN ? (existsSync(join(GIVEN, 'bin/python')) ? join(GIVEN, 'bin/python') : GIVEN) : join(ROOT, 'node_modules/.cache/raft-recipe-venv/bin/python');
const ENV = { ...process.env, PYTHONWARNINGS: 'ignore', HF_HUB_OFFLINE: '1', TRANSFORMERS_VERBOSITY: 'error', TOKENIZERS_PARALLELISM: 'false' };
const STEPS = 20;
/** Measured: the losses agree to 3e-7 relative, the gradient norms to 1e-6; float32 summation order differs. */
const LOSS_TOLERANCE = 1e-5;
const SETTINGS: TrainSettings = { ...RECIPE_DEFAULTS, rank: 4, alpha: 8, lr: 1e-3, batchSize: 2, gradAccum: 2, maxLength: 1024, maxSteps: STEPS };
let work: string | undefined;

function run(command: string, args: string[]): Promise<{ code: number; output: string; stdout: string }> {
  return new Promise((done) =>
    execFile(command, args, { cwd: ROOT, env: ENV, timeout: 300_000, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr, stdout }),
    ),
  );
}

/** PyTorch logits of `ids` from the base in `base` with the PEFT adapter in `adapter` merged by merge_and_unload. */
const PEFT_MERGE = `
import json, sys, torch
from peft import PeftModel
from transformers import AutoModelForCausalLM
base, adapter, ids = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32), adapter).merge_and_unload()
with torch.no_grad():
    print(json.dumps(model(torch.tensor([ids])).logits[0].flatten().tolist()))
`;

afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

test('the browser trainer follows the recipe step by step, and its merge matches PEFT', async (ctx) => {
  const probe = existsSync(PYTHON) ? await run(PYTHON, ['-c', 'import torch, transformers, peft, trl, onnx, onnxruntime, tokenizers']) : { code: 1, output: `${PYTHON} not found`, stdout: '' };
  if (probe.code !== 0) {
    const reason = `no Python with torch, transformers, peft, trl, onnx (${probe.output.trim().split('\n').at(-1)}); set RAFT_RECIPE_PYTHON or run recipe.test.ts once to create the venv`;
    console.warn(`SKIPPED the browser-trainer test: ${reason}`);
    ctx.skip(reason);
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'raft-trainer-'));
  // 1. The tiny base (PyTorch), its ONNX export (what the app loads), and the app's RAFT export in chat format.
  const base = await run(PYTHON, ['recipes/make_tiny_base.py', '--out', join(work, 'base'), '--init-std', '0.1']);
  expect(base.code, base.output).toBe(0);
  const exported = await run(PYTHON, ['recipes/export_onnx.py', '--model', join(work, 'base'), '--out', join(work, 'onnx')]);
  expect(exported.code, exported.output).toBe(0);
  const built = await run('npm', ['run', '--silent', 'raft', '--', 'build', '--docs', 'public/sample-wiki', '--questions', 'public/sample-wiki/questions.jsonl', '--format', 'chat', '--out', join(work, 'dataset')]);
  expect(built.code, built.output).toBe(0);
  const rows = (await readFile(join(work, 'dataset/train.jsonl'), 'utf8')).trim().split('\n').slice(0, 4);
  await writeFile(join(work, 'train.jsonl'), rows.join('\n') + '\n');

  // 2. The browser trainer: four examples, 2 × 2 a step, so every step sees all four whatever the order.
  await init('wasm');
  const weights = decoderWeights(readOnnxGraph(await readFile(join(work, 'onnx/onnx/model.onnx'))), decoderConfig(JSON.parse(await readFile(join(work, 'onnx/config.json'), 'utf8'))));
  env.allowRemoteModels = false;
  env.localModelPath = `${work}/`;
  const tokenizer = await AutoTokenizer.from_pretrained('onnx');
  const examples = rows.map((row) => tokenizeChat(tokenizer, JSON.parse(row).messages, SETTINGS.maxLength));
  const start = initialAdapters(weights, SETTINGS);
  await mkdir(join(work, 'start'));
  await writeFile(join(work, 'start/adapter_model.safetensors'), peftAdapterWeights(start, SETTINGS.rank));
  await writeFile(join(work, 'start/adapter_config.json'), JSON.stringify(peftAdapterConfig(SETTINGS, join(work, 'base'))));
  const trainer = new LoraTrainer(weights, SETTINGS, start);
  const ours: { loss: number; gradNorm: number }[] = [];
  for (let step = 0; step < STEPS; step++) ours.push(await trainer.step(stepBatches(examples), learningRate(SETTINGS, step, STEPS)));
  const trained = await trainer.adapters();
  trainer.dispose();

  // 3. The recipe from the same start.
  const finetune = await run(PYTHON, [
    'recipes/finetune.py', '--train', join(work, 'train.jsonl'), '--base', join(work, 'base'), '--out', join(work, 'merged'),
    '--max-steps', String(STEPS), '--rank', String(SETTINGS.rank), '--lr', String(SETTINGS.lr), '--batch-size', '2', '--grad-accum', '2',
    '--max-length', String(SETTINGS.maxLength), '--lora-dropout', '0', '--init-adapter', join(work, 'start'), '--log-file', join(work, 'log.json'),
  ]);
  expect(finetune.code, finetune.output).toBe(0);
  const theirs = JSON.parse(await readFile(join(work, 'log.json'), 'utf8')).steps as { loss: number; grad_norm: number }[];
  expect(theirs).toHaveLength(STEPS);
  theirs.forEach((step, i) => {
    expect(Math.abs(ours[i].loss - step.loss) / step.loss, `step ${i + 1}: ${ours[i].loss} vs ${step.loss}`).toBeLessThan(LOSS_TOLERANCE);
    expect(Math.abs(ours[i].gradNorm - step.grad_norm) / step.grad_norm, `step ${i + 1} gradient norm`).toBeLessThan(1e-4);
  });
  expect(ours.at(-1)!.loss).toBeLessThan(ours[0].loss); // and it did learn

  // 4. Our adapters merged in JS against PEFT's merge of the same adapters in PyTorch.
  await mkdir(join(work, 'trained'));
  await writeFile(join(work, 'trained/adapter_model.safetensors'), peftAdapterWeights(trained, SETTINGS.rank));
  await writeFile(join(work, 'trained/adapter_config.json'), JSON.stringify(peftAdapterConfig(SETTINGS, join(work, 'base'))));
  const ids = examples[0].ids.slice(0, 48);
  const merged = await run(PYTHON, ['-c', PEFT_MERGE, join(work, 'base'), join(work, 'trained'), JSON.stringify(ids)]);
  expect(merged.code, merged.output).toBe(0);
  const expected = JSON.parse(merged.stdout.trim().split('\n').at(-1)!) as number[];
  const mergedWeights = mergeAdapters(weights, trained, SETTINGS.rank, SETTINGS.alpha);
  const T = ids.length;
  const { cos, sin } = ropeTables(weights.config, T);
  const batch = {
    ids: np.array(Int32Array.from(ids), { dtype: np.int32 }).reshape([1, T]),
    targets: np.zeros([1, T], { dtype: np.int32 }),
    weights: np.zeros([1, T]),
    mask: np.array(new Float32Array(T * T).map((_, k) => (k % T <= Math.floor(k / T) ? 0 : -1e9))).reshape([1, 1, 1, T, T]),
    cos: np.array(cos).reshape([T, weights.config.headDim]),
    sin: np.array(sin).reshape([T, weights.config.headDim]),
  };
  const actual = await logits({ layers: weights.layers.map(() => ({})) }, frozenParams(mergedWeights), batch, weights.config, 1).data();
  const scale = Math.max(...expected.map(Math.abs));
  const worst = Math.max(...Array.from(actual as Float32Array, (v, i) => Math.abs(v - expected[i])));
  expect(worst / scale).toBeLessThan(1e-4);
}, 600_000);
