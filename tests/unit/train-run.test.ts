// A whole training run through the trainer's worker protocol (in-process, as the CLI runs it) on the demo base
// model: progress a user can follow, a stop that keeps a checkpoint, a resume from that checkpoint that ends
// exactly where an uninterrupted run ends, a refusal with a smaller setting when memory is short, and a
// fine-tuned folder that the app's model loader loads and generates with. Fails naming the demo base if missing.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { TrainerClient } from '../../src/lib/clients/trainer';
import type { ChatMessage } from '../../src/lib/core/generation';
import { TRAIN_DOCS, trainChats } from '../fixtures/train-chats';
import { readSafetensors } from '../../src/lib/core/formats/safetensors';
import type { TrainCheckpoint, TrainProgress } from '../../src/lib/core/train/run-types';
import { RECIPE_DEFAULTS, type TrainSettings } from '../../src/lib/core/train/settings';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';
import { createTrainHandlers } from '../../src/lib/workers/train/handler';
import type { TrainParams } from '../../src/lib/workers/train/protocol';

const BASE = resolve(import.meta.dirname, '../../public/models/demo/base');
const CHATS = trainChats(3);
const SETTINGS: TrainSettings = { ...RECIPE_DEFAULTS, rank: 4, alpha: 8, lr: 5e-3, batchSize: 1, gradAccum: 2, maxSteps: 4 };
let params: TrainParams;
let work: string;

function trainer(): TrainerClient {
  const { endpoint, close } = inProcessEndpoint(createTrainHandlers({ allowHub: false }));
  return new TrainerClient(endpoint, close);
}

beforeAll(async () => {
  if (!existsSync(`${BASE}/onnx/model.onnx`)) throw new Error(`the demo base model is missing: ${BASE}/onnx/model.onnx (run recipes/demo/train_demo_models.py)`);
  params = { base: await readModelFolder(BASE, 'fp32'), chats: CHATS, settings: SETTINGS, device: 'wasm' };
  work = await mkdtemp(join(tmpdir(), 'raft-train-run-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

test('a run reports its steps, loss, pace and time left, and writes a folder the app loads and generates with', async () => {
  const client = trainer();
  const reports: TrainProgress[] = [];
  const output = await client.train(params, { onProgress: (p) => reports.push(p) }).finally(() => client.terminate());
  expect(reports.map((r) => r.phase)).toEqual(['preparing', 'compiling', 'training', 'training', 'training', 'training', 'merging']);
  const last = reports.filter((r) => r.phase === 'training').at(-1)!;
  expect(last).toMatchObject({ step: 4, totalSteps: 4, remainingMs: 0 });
  expect(last.tokensPerSecond).toBeGreaterThan(0);
  expect(reports[0].memory!.total).toBeGreaterThan(reports[0].memory!.weights);
  expect(output.record.steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
  expect(output.record.steps.at(-1)!.loss).toBeLessThan(output.record.steps[0].loss);

  // The PEFT adapter: rank-4 matrices for all seven projections of both layers.
  const adapter = readSafetensors(output.adapter.find((f) => f.path === 'adapter_model.safetensors')!.bytes);
  expect(adapter.size).toBe(2 * 7 * 2);
  expect(adapter.get('base_model.model.model.layers.1.mlp.down_proj.lora_A.weight')!.shape).toEqual([4, 384]);

  // The merged folder, written to disk and loaded through the app's loader.
  const folder = join(work, 'fine-tuned');
  for (const file of output.folder) {
    await mkdir(dirname(join(folder, file.path)), { recursive: true });
    await writeFile(join(folder, file.path), file.bytes);
  }
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const generator = new GeneratorClient(endpoint, close);
  try {
    const messages: ChatMessage[] = [{ role: 'user', content: `${TRAIN_DOCS}\nHow long do refunds take?` }];
    const greedy = { maxNewTokens: 12, greedy: true, temperature: 0, topP: 1 };
    await generator.load(await readModelFolder(folder, 'fp32'), { device: 'wasm', dtype: 'fp32' });
    const tuned = await generator.generate(messages, greedy);
    await generator.load(params.base, { device: 'wasm', dtype: 'fp32' });
    const base = await generator.generate(messages, greedy);
    expect(tuned.tokens).toBeGreaterThan(0);
    expect(base.tokens).toBeGreaterThan(0);
  } finally {
    generator.terminate();
  }
}, 240_000);

test('a stopped run keeps a checkpoint, and resuming from it ends exactly where an uninterrupted run ends', async () => {
  const whole = trainer();
  const uninterrupted = await whole.train(params).finally(() => whole.terminate());

  const first = trainer();
  const controller = new AbortController();
  let saved: TrainCheckpoint | undefined;
  const stopped = first.train(params, {
    signal: controller.signal,
    onProgress: (p) => p.phase === 'training' && p.step === 2 && controller.abort(),
    onCheckpoint: (c) => (saved = c),
  });
  await expect(stopped).rejects.toThrow(/Training stopped after step [23] of 4/);
  first.terminate();
  // NOTE: the stop reaches the worker while step 3 may already run: it stops after the step it is in.
  expect([2, 3]).toContain(saved!.state.steps);
  expect(saved!.log).toHaveLength(saved!.state.steps);

  const second = trainer();
  const resumed = await second.train({ ...params, resume: saved }).finally(() => second.terminate());
  expect(resumed.record.steps.map((s) => s.loss)).toEqual(uninterrupted.record.steps.map((s) => s.loss));
}, 240_000);

test('a run that cannot fit is refused before it starts, naming a length that fits', async () => {
  // The chats are about 100 tokens (a 128-token batch, ~24 MiB estimated); 64 tokens would need ~13 MiB.
  const client = trainer();
  const refused = client.train({ ...params, limits: { total: 20 * 1024 ** 2, array: Infinity } }).finally(() => client.terminate());
  await expect(refused).rejects.toThrow(/will not fit: training would need about \d+ MiB, over the 20 MiB this backend can hold\. Set the maximum length to 64 tokens or less/);
});
