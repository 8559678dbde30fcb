// ModelsState with fake model workers: the memory rule (both / one at a time) behind acquire(), the
// "one at a time" advice when memory runs out, remembering the last load across visits, and keeping
// a picked folder in the browser.
import { describe, expect, test } from 'vitest';
import type { Generator } from '../../src/lib/clients/generator';
import { ModelLoadError, NotReadyError, WorkerCrashedError } from '../../src/lib/core/errors';
import type { LoadOptions, ModelSource } from '../../src/lib/core/models';
import { Environment } from '../../src/lib/state/environment.svelte';
import { ModelsState } from '../../src/lib/state/models.svelte';
import { RememberedModels } from '../../src/lib/state/remembered-models';
import { Settings } from '../../src/lib/state/settings.svelte';
import type { ModelStorage } from '../../src/lib/store/model-storage';
import { MemoryStorage } from '../support/memory-storage';
import { memoryModelStorage } from '../support/memory-model-storage';

const GREEDY = { maxNewTokens: 8, temperature: 0, topP: 1, greedy: true };

/** A model worker: one model at a time, generate() answers with the model's label; counts what happened. */
class FakeWorker implements Generator {
  static all: FakeWorker[] = [];
  loads: { source: ModelSource; options: LoadOptions }[] = [];
  terminated = false;
  running = 0;
  model = '';
  fail: Error | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  async load(source: ModelSource, options: LoadOptions) {
    if (this.terminated) throw new Error('The model worker was stopped.');
    await new Promise((r) => setTimeout(r, 5));
    if (this.fail) throw this.fail;
    this.loads.push({ source, options });
    this.model = source.kind === 'hub' ? source.id : source.kind === 'url' ? source.url : source.name;
    return { key: this.model, label: this.model, device: { device: 'wasm' as const, reason: 'WASM' }, dtype: options.dtype, modelType: 'llama' };
  }
  async generate() {
    if (this.terminated || !this.model) throw new Error('No language model is loaded yet: load one first.');
    this.running++;
    await new Promise((r) => setTimeout(r, 20));
    if (this.terminated) throw new Error('The model worker was stopped.');
    this.running--;
    return { text: `reply from ${this.model}`, tokens: 3, stoppedBy: 'eos' as const, timeToFirstTokenMs: 1, tokensPerSecond: 100, totalMs: 20 };
  }
  async applyTemplate() {
    return '';
  }
  async configure() {}
  terminate() {
    this.terminated = true;
  }
}


function setup(options: { memory?: 'both' | 'one'; local?: Storage; storage?: ModelStorage | null } = {}) {
  FakeWorker.all = [];
  const local = options.local ?? new MemoryStorage();
  const settings = new Settings(local);
  settings.languageModels = options.memory ?? 'both';
  const models = new ModelsState(settings, new Environment(), {
    embedder: () => new FakeWorker(),
    generator: () => new FakeWorker(),
    storage: options.storage ?? null,
    remembered: new RememberedModels(local),
  });
  return { models, settings, local };
}

async function loadHub(models: ModelsState, role: 'base' | 'tuned', id: string) {
  const slot = models.languageModel(role);
  slot.sourceKind = 'hub';
  slot.hubId = id;
  await slot.load();
  expect(slot.status).toBe('loaded');
  return slot;
}

test('acquire says what to load when nothing was ever loaded in that slot', async () => {
  const { models } = setup();
  await expect(models.acquire('tuned')).rejects.toThrow(NotReadyError);
  await expect(models.acquire('tuned')).rejects.toThrow('Load the fine-tuned (RAFT) model on the Models page first.');
});

test('"both": the two language models stay loaded side by side', async () => {
  const { models } = setup({ memory: 'both' });
  await loadHub(models, 'base', 'org/base');
  await loadHub(models, 'tuned', 'org/tuned');
  const [a, b] = await Promise.all([models.acquire('base'), models.acquire('tuned')]);
  const replies = await Promise.all([a.generate([], GREEDY), b.generate([], GREEDY)]);
  expect(replies.map((r) => r.text)).toEqual(['reply from org/base', 'reply from org/tuned']);
  expect(FakeWorker.all.some((w) => w.terminated)).toBe(false);
  expect(models.base.released || models.tuned.released).toBe(false);
});

describe('"one at a time"', () => {
  test('loading one releases the other; acquire reloads the released one from the same source and releases the other', async () => {
    const { models } = setup({ memory: 'one' });
    await loadHub(models, 'base', 'org/base');
    const baseWorker = FakeWorker.all[0];
    await loadHub(models, 'tuned', 'org/tuned');
    expect(baseWorker.terminated).toBe(true);
    expect(models.base.released).toBe(true);
    expect(models.base.loaded?.label).toBe('org/base');

    const base = await models.acquire('base');
    expect(models.tuned.released).toBe(true);
    expect(models.base.released).toBe(false);
    const reloaded = FakeWorker.all.at(-1)!;
    expect(reloaded).not.toBe(baseWorker);
    expect(reloaded.loads).toEqual([{ source: { kind: 'hub', id: 'org/base' }, options: baseWorker.loads[0].options }]);
    expect((await base.generate([], GREEDY)).text).toBe('reply from org/base');
  });

  test('generations asked of both at once run one after the other, never on a released worker', async () => {
    const { models } = setup({ memory: 'one' });
    await loadHub(models, 'base', 'org/base');
    await loadHub(models, 'tuned', 'org/tuned');
    const [base, tuned] = await Promise.all([models.acquire('base'), models.acquire('tuned')]);
    const replies = await Promise.all([base.generate([], GREEDY), tuned.generate([], GREEDY), base.generate([], GREEDY)]);
    expect(replies.map((r) => r.text)).toEqual(['reply from org/base', 'reply from org/tuned', 'reply from org/base']);
    const live = FakeWorker.all.filter((w) => !w.terminated && w.model);
    expect(live).toHaveLength(1);
  });

  test('a generator from acquire stays usable after the model was released', async () => {
    const { models } = setup({ memory: 'one' });
    await loadHub(models, 'base', 'org/base');
    const base = await models.acquire('base');
    await loadHub(models, 'tuned', 'org/tuned');
    expect(models.base.released).toBe(true);
    expect((await base.generate([], GREEDY)).text).toBe('reply from org/base');
    expect(models.tuned.released).toBe(true);
  });
});

test('when the second model runs out of memory while the first is held, the message suggests one at a time', async () => {
  const { models } = setup({ memory: 'both' });
  await loadHub(models, 'base', 'org/base');
  const slot = models.tuned;
  slot.sourceKind = 'hub';
  slot.hubId = 'org/huge';
  const worker = slot.client as unknown as FakeWorker;
  worker.fail = new ModelLoadError('Loading org/huge (dtype q8) ran out of memory (RangeError).', 'out-of-memory');
  await slot.load();
  expect(slot.status).toBe('error');
  expect(slot.error).toContain('ran out of memory');
  expect(slot.error).toContain('set “Language models in memory” to “One at a time”');
  // Alone, the same failure does not blame the other model.
  await models.base.release();
  await slot.load();
  expect(slot.error).not.toContain('One at a time');
});

test('a worker that crashed while loading is dropped: the card says so, and the next load starts a fresh worker', async () => {
  const { models } = setup({ memory: 'both' });
  await loadHub(models, 'base', 'org/base');
  const slot = models.tuned;
  slot.sourceKind = 'hub';
  slot.hubId = 'org/huge';
  const crashed = slot.client as unknown as FakeWorker;
  crashed.fail = new WorkerCrashedError('The model worker crashed: unknown error. Reload the model to continue.');
  await slot.load();
  expect(slot.status).toBe('error');
  expect(slot.error).toContain('Reload the model');
  // Held beside the base model, a crash (usually memory) brings the same advice as running out of memory.
  expect(slot.error).toContain('“One at a time”');
  expect(crashed.terminated).toBe(true);

  slot.hubId = 'org/small';
  await slot.load();
  expect(slot.status).toBe('loaded');
  const fresh = slot.client as unknown as FakeWorker;
  expect(fresh).not.toBe(crashed);
  expect(fresh.loads.map((l) => l.source)).toEqual([{ kind: 'hub', id: 'org/small' }]);
});

test('a load that fails for another reason keeps its worker', async () => {
  const { models } = setup();
  const slot = models.base;
  slot.sourceKind = 'hub';
  slot.hubId = 'org/broken';
  const worker = slot.client as unknown as FakeWorker;
  worker.fail = new ModelLoadError('The model folder has no tokenizer.json.', 'missing-file');
  await slot.load();
  expect(slot.status).toBe('error');
  expect(worker.terminated).toBe(false);
  expect(slot.client as unknown as FakeWorker).toBe(worker);
});

test('the last load of each card is remembered across visits and loads again only on request', async () => {
  const local = new MemoryStorage();
  const first = setup({ local });
  first.models.base.dtype = 'q4';
  first.models.base.device = 'wasm';
  await loadHub(first.models, 'base', 'org/base@v2');

  const { models } = setup({ local });
  const slot = models.base;
  expect(slot.remembered).toMatchObject({ source: { kind: 'hub', id: 'org/base', revision: 'v2' }, dtype: 'q4', device: 'wasm', label: 'org/base' });
  expect(slot.loaded).toBeNull();
  expect([slot.sourceKind, slot.hubId, slot.revision, slot.dtype, slot.device]).toEqual(['hub', 'org/base', 'v2', 'q4', 'wasm']);
  expect(FakeWorker.all).toHaveLength(0); // nothing loads by itself
  expect(slot.canLoadAgain).toBe(true);
  await slot.loadAgain();
  expect(slot.status).toBe('loaded');
  expect((slot.client as unknown as FakeWorker).loads[0]).toEqual({ source: { kind: 'hub', id: 'org/base', revision: 'v2' }, options: { device: 'wasm', dtype: 'q4' } });
});

test('a kept local folder is saved, remembered as saved, and loads again from the browser next visit', async () => {
  const local = new MemoryStorage();
  const storage = memoryModelStorage();
  const first = setup({ local, storage });
  const files = [{ path: 'config.json', blob: new Blob(['{}']) }, { path: 'onnx/model.onnx', blob: new Blob(['onnx']) }];
  const slot = first.models.tuned;
  slot.sourceKind = 'files';
  slot.folder = { name: 'my-raft', files };
  slot.keep = true;
  await slot.load();
  expect(slot.notice).toMatch(/^Kept in this browser \(\d+ kB\)/);
  expect(storage.saved.has('id-my-raft')).toBe(true);

  const second = setup({ local, storage });
  expect(second.models.tuned.remembered?.source).toEqual({ kind: 'saved', id: 'id-my-raft', name: 'my-raft' });
  expect(second.models.tuned.sourceKind).toBe('saved');
  await second.models.tuned.loadAgain();
  const loaded = (second.models.tuned.client as unknown as FakeWorker).loads[0].source;
  expect(loaded.kind === 'files' && loaded.files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx']);
});

test('a picked folder that was not kept is remembered by name only: no "Load again" after a reload', async () => {
  const local = new MemoryStorage();
  const first = setup({ local });
  first.models.tuned.sourceKind = 'files';
  first.models.tuned.folder = { name: 'scratch', files: [{ path: 'config.json', blob: new Blob(['{}']) }] };
  await first.models.tuned.load();
  const { models } = setup({ local });
  expect(models.tuned.remembered?.source).toEqual({ kind: 'files', name: 'scratch' });
  expect(models.tuned.canLoadAgain).toBe(false);
});

test('"Load the demo models" loads sft as the base and raft as the fine-tuned model, from the app, on WASM at q8, and the cards know them', async () => {
  const { models, local } = setup();
  await models.loadDemo('http://localhost:5173/arena');
  const loads = FakeWorker.all.flatMap((w) => w.loads);
  expect(loads).toEqual([
    { source: { kind: 'url', url: 'http://localhost:5173/models/demo/sft/' }, options: { device: 'wasm', dtype: 'q8' } },
    { source: { kind: 'url', url: 'http://localhost:5173/models/demo/raft/' }, options: { device: 'wasm', dtype: 'q8' } },
  ]);
  expect([models.base.isDemo, models.tuned.isDemo]).toEqual([true, true]);
  // A model from anywhere else is not called a demo model, and the demo load is remembered like any other.
  await loadHub(models, 'tuned', 'org/tuned');
  expect(models.tuned.isDemo).toBe(false);
  expect(new RememberedModels(local).get('base')?.source).toEqual({ kind: 'url', url: 'http://localhost:5173/models/demo/sft/' });
});
