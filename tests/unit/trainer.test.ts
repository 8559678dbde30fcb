// The in-browser trainer (jax-js, WASM) on the demo base model, in Node: its forward pass gives the logits the
// app's ONNX runtime gives for the same model, and a few LoRA steps on RAFT chats lower their loss. Fails naming
// the demo base folder when it is missing. (Agreement with PEFT step by step: tests/recipe/browser-trainer.test.ts.)
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import { init, numpy as np } from '@jax-js/jax';
import { beforeAll, expect, test } from 'vitest';
import { readOnnxGraph } from '../../src/lib/core/onnx/onnx-graph';
import { stepBatches } from '../../src/lib/core/train/batches';
import { decoderConfig, decoderWeights, type DecoderWeights } from '../../src/lib/core/train/decoder-weights';
import { RECIPE_DEFAULTS } from '../../src/lib/core/train/settings';
import { tokenizeChat } from '../../src/lib/workers/train/chat-tokens';
import { frozenParams, logits, ropeTables } from '../../src/lib/workers/train/llama-lora';
import { LoraTrainer } from '../../src/lib/workers/train/trainer';
import { trainChats } from '../fixtures/train-chats';

const MODELS = resolve(import.meta.dirname, '../../public/models/demo');
const BASE = `${MODELS}/base`;
let weights: DecoderWeights;

beforeAll(async () => {
  if (!existsSync(`${BASE}/onnx/model.onnx`)) throw new Error(`the demo base model is missing: ${BASE}/onnx/model.onnx (run recipes/demo/train_demo_models.py)`);
  await init('wasm');
  weights = decoderWeights(readOnnxGraph(readFileSync(`${BASE}/onnx/model.onnx`)), decoderConfig(JSON.parse(readFileSync(`${BASE}/config.json`, 'utf8'))));
  env.allowRemoteModels = false;
  env.localModelPath = `${MODELS}/`;
});

test("the trainer's forward pass gives the logits onnxruntime gives for the same model", async () => {
  const ids = [0, 1, 512, 77, 1900, 3, 45, 1024, 8, 300, 2000, 5, 66];
  const model = await AutoModelForCausalLM.from_pretrained('base', { dtype: 'fp32', device: 'cpu' });
  const shape = [1, ids.length];
  const ort = await model({ input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), shape), attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), shape) });
  const expected = ort.logits.data as Float32Array;
  await model.dispose();

  const T = ids.length;
  const { cos, sin } = ropeTables(weights.config, T);
  const mask = new Float32Array(T * T).map((_, k) => (k % T <= Math.floor(k / T) ? 0 : -1e9));
  const batch = {
    ids: np.array(Int32Array.from(ids), { dtype: np.int32 }).reshape([1, T]),
    targets: np.zeros([1, T], { dtype: np.int32 }),
    weights: np.zeros([1, T]),
    mask: np.array(mask).reshape([1, 1, 1, T, T]),
    cos: np.array(cos).reshape([T, weights.config.headDim]),
    sin: np.array(sin).reshape([T, weights.config.headDim]),
  };
  const frozen = frozenParams(weights);
  const actual = await logits({ layers: weights.layers.map(() => ({})) }, frozen, batch, weights.config, 1).data();
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  const worst = Math.max(...Array.from(actual as Float32Array, (v, i) => Math.abs(v - expected[i])));
  expect(worst / scale).toBeLessThan(1e-4);
});

test('LoRA steps on RAFT chats lower their loss, and the adapters move away from their start', async () => {
  const tokenizer = await AutoTokenizer.from_pretrained('base');
  const chats = trainChats(2);
  const examples = chats.map((chat) => tokenizeChat(tokenizer, chat, 512));
  const settings = { ...RECIPE_DEFAULTS, rank: 4, alpha: 8, lr: 5e-3 };
  const trainer = new LoraTrainer(weights, settings);
  const start = await trainer.adapters();
  const losses: number[] = [];
  for (let step = 0; step < 6; step++) losses.push((await trainer.step(stepBatches(examples), settings.lr)).loss);
  const end = await trainer.adapters();
  trainer.dispose();
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.8);
  expect(Array.from(start[0].q_proj!.b).every((v) => v === 0)).toBe(true); // B starts at zero (PEFT)
  expect(Array.from(end[0].q_proj!.b).some((v) => v !== 0)).toBe(true);
}, 120_000);
