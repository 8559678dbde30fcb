// The Fine-tune page's state with the real trainer in-process and IndexedDB (fake-indexeddb) on the demo base
// model: a run ends with a model to load into the arena and to download; a paused run survives a "reload" (a new
// state over the same database) and resumes to the losses of an uninterrupted run; cancel forgets it all.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { TrainerClient } from '../../src/lib/clients/trainer';
import { trainChats } from '../fixtures/train-chats';
import type { ModelFile, ModelSource } from '../../src/lib/core/models';
import { openTrainDatabase, trainStore } from '../../src/lib/store/train-db';
import { TrainingState, type TrainingDeps } from '../../src/lib/state/training.svelte';
import { createTrainHandlers } from '../../src/lib/workers/train/handler';

const BASE = resolve(import.meta.dirname, '../../public/models/demo/base');
const CHATS = trainChats(2);
let base: ModelSource;
let databases = 0;

beforeAll(async () => {
  if (!existsSync(`${BASE}/onnx/model.onnx`)) throw new Error(`the demo base model is missing: ${BASE}/onnx/model.onnx (run recipes/demo/train_demo_models.py)`);
  base = await readModelFolder(BASE, 'fp32');
});

function deps(name: string, loaded: { name: string; files: ModelFile[] }[] = []): TrainingDeps {
  return {
    trainer: () => {
      const { endpoint, close } = inProcessEndpoint(createTrainHandlers({ allowHub: false }));
      return new TrainerClient(endpoint, close);
    },
    store: trainStore(() => openTrainDatabase(name)),
    chats: async () => CHATS,
    base: () => ({ source: base, label: 'demo-base' }),
    loadedBase: () => null,
    useAsFineTuned: async (folder) => void loaded.push(folder),
    checkpointEveryMs: 0,
  };
}

function page(name: string, loaded?: { name: string; files: ModelFile[] }[]): TrainingState {
  const state = new TrainingState(deps(name, loaded));
  state.form = { base: 'demo', rank: 4, lr: 5e-3, epochs: 4, maxLength: 512, device: 'wasm' };
  return state;
}

test('a run ends with its loss curve, a model for the arena and both downloads; a reload brings the result back', async () => {
  const name = `train-${databases++}`;
  const loaded: { name: string; files: ModelFile[] }[] = [];
  const state = page(name, loaded);
  await state.start();
  expect(state.error).toBe('');
  expect(state.status).toBe('done');
  expect(state.losses).toHaveLength(4); // 2 examples, 2 × 4 a step: one step an epoch
  await state.useInArena();
  expect(loaded[0].name).toBe('demo-base-lora');
  expect(loaded[0].files.map((f) => f.path)).toContain('onnx/model.onnx');
  const zip = new Uint8Array(await state.modelZip()!.arrayBuffer());
  expect(new DataView(zip.buffer).getUint32(0, true)).toBe(0x04034b50); // a ZIP's first local header
  expect(state.adapterZip()!.size).toBeGreaterThan(0);

  const reloaded = page(name);
  await reloaded.restore();
  expect(reloaded.status).toBe('done');
  expect(reloaded.losses).toEqual(state.losses);
  expect(reloaded.output!.record.steps).toHaveLength(4);
}, 120_000);

test('a paused run resumes after a reload to the losses of an uninterrupted run; cancel forgets it', async () => {
  const whole = page(`train-${databases++}`);
  await whole.start();

  const name = `train-${databases++}`;
  const first = page(name);
  const running = first.start();
  await new Promise<void>((done) => {
    const poll = setInterval(() => first.losses.length >= 2 && (clearInterval(poll), done()), 5);
  });
  first.pause();
  await running;
  expect(first.status).toBe('paused');
  const at = first.resumableAt!;
  expect(at).toBeGreaterThanOrEqual(2);

  const reloaded = page(name);
  await reloaded.restore();
  expect(reloaded.status).toBe('paused');
  expect(reloaded.resumableAt).toBe(at);
  await reloaded.resume();
  expect(reloaded.status).toBe('done');
  expect(reloaded.losses).toEqual(whole.losses);

  await reloaded.cancel();
  const again = page(name);
  await again.restore();
  expect(again.status).toBe('idle');
  expect(again.output).toBeNull();
}, 180_000);

test('a setting out of range is said before anything starts, and the kept run stays', async () => {
  const name = `train-${databases++}`;
  const state = page(name);
  await state.start();
  const bad = page(name);
  await bad.restore();
  bad.form = { ...bad.form, rank: 0 };
  await bad.start();
  expect(bad.error).toBe('The LoRA rank must be a whole number from 1 to 256 (got 0).');
  expect(bad.status).toBe('done'); // the finished run is still shown
  expect((await trainStore(() => openTrainDatabase(name)).load())?.status).toBe('done');
}, 120_000);
