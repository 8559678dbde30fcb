// A loader card when its source changes or the page reloads (issue 14): the old source's error goes away with it,
// and only a folder the user kept in the browser is offered for loading again by itself (the embedder after a reload).
import { expect, test } from 'vitest';
import type { LoadableModel } from '../../src/lib/clients/model-client';
import type { LoadOptions, ModelSource } from '../../src/lib/core/models';
import { Environment } from '../../src/lib/state/environment.svelte';
import { ModelSlot } from '../../src/lib/state/model-slot.svelte';
import { ModelStore } from '../../src/lib/state/model-store.svelte';
import { RememberedModels } from '../../src/lib/state/remembered-models';
import { Settings } from '../../src/lib/state/settings.svelte';
import { MemoryStorage } from '../support/memory-storage';
import { memoryModelStorage } from '../support/memory-model-storage';

/** A model worker that loads anything but the Hub (as when the Hub is not allowed). */
function fakeClient(): LoadableModel {
  return {
    async load(source: ModelSource, options: LoadOptions) {
      if (source.kind === 'hub') throw new Error('The Hugging Face Hub is off in Settings: load from a local folder, or allow the Hub.');
      const name = source.kind === 'files' ? source.name : source.url;
      return { key: name, label: `${name} (local files)`, device: { device: 'wasm' as const, reason: 'WASM' }, dtype: options.dtype, modelType: 'bert' };
    },
    async configure() {},
    async setHubAllowed() {},
    terminate() {},
  } as unknown as LoadableModel;
}


function embedderSlot(local: Storage, store: ModelStore) {
  const settings = new Settings(local);
  return new ModelSlot('embedder', { settings, env: new Environment(), store, create: fakeClient, remembered: new RememberedModels(local) });
}

const FILES = [{ path: 'config.json', blob: new Blob(['{}']) }, { path: 'onnx/model.onnx', blob: new Blob(['onnx']) }];

test('a Hub error leaves the card when the source changes to a local folder; a loaded model stays loaded', async () => {
  const slot = embedderSlot(new MemoryStorage(), new ModelStore(memoryModelStorage()));
  slot.sourceKind = 'hub';
  slot.hubId = 'Xenova/all-MiniLM-L6-v2';
  await slot.load();
  expect(slot.status).toBe('error');
  expect(slot.error).toMatch(/Hub is off/);
  slot.sourceKind = 'files';
  expect(slot.error).toBe('');
  expect(slot.status).toBe('idle');

  // Loaded, then a failed Hub load, then back to a folder: the card still says what is loaded.
  slot.folder = { name: 'tiny', files: FILES };
  await slot.load();
  expect(slot.status).toBe('loaded');
  slot.sourceKind = 'hub';
  await slot.load();
  expect(slot.status).toBe('error');
  slot.sourceKind = 'files';
  expect([slot.status, slot.error, slot.loaded?.label]).toEqual(['loaded', '', 'tiny (local files)']);
});

test('only a kept folder is handed back for loading by itself after a reload, and only for the same model', async () => {
  const local = new MemoryStorage();
  const store = new ModelStore(memoryModelStorage());
  const first = embedderSlot(local, store);
  first.sourceKind = 'files';
  first.folder = { name: 'scratch', files: FILES };
  await first.load();
  // Not kept: nothing loads by itself.
  expect(await embedderSlot(local, store).keptFiles('scratch (local files)')).toBeNull();

  first.folder = { name: 'kept', files: FILES };
  first.keep = true;
  await first.load();
  const reloaded = embedderSlot(local, store);
  expect((await reloaded.keptFiles('kept (local files)'))?.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx']);
  expect(await reloaded.keptFiles('another model')).toBeNull();
  // Deleted in the model manager: no longer kept.
  await store.removeSaved(store.saved.find((s) => s.name === 'kept') ?? { id: 'id-kept', name: 'kept', savedAt: 1, files: [], bytes: 1 });
  expect(await reloaded.keptFiles('kept (local files)')).toBeNull();
});

test('the card says where the device and dtype came from, and when the dtype is not the last load\'s', async () => {
  const local = new MemoryStorage();
  const settings = new Settings(local);
  const env = new Environment();
  env.gpu = { available: true, adapter: 'test GPU' };
  const slot = () => new ModelSlot('tuned', { settings, env, store: new ModelStore(memoryModelStorage()), create: fakeClient, remembered: new RememberedModels(local) });
  const first = slot();
  first.sourceKind = 'url';
  first.folderUrl = 'https://example.test/raft/';
  await first.load();
  expect(first.chosen).toBe('Device Auto, from Settings; dtype q4f16, the default on WebGPU (the device set in Settings).');
  expect(first.notice).toBe('');

  // Settings now say WASM: nothing was picked on the card, so the dtype follows, and the card says so.
  settings.device = 'wasm';
  await first.load();
  expect(first.loaded?.dtype).toBe('q8');
  expect(first.chosen).toBe('Device WASM, from Settings; dtype q8, the default on WASM (the device set in Settings).');
  expect(first.notice).toBe('The dtype is q8 now, q4f16 at the last load: the default on WASM (the device set in Settings) (pick a dtype on this card to keep one).');

  // After a reload the last load's dtype is kept, and said to be; one picked on the card is said to be picked.
  const second = slot();
  await second.load();
  expect(second.chosen).toBe('Device WASM, from Settings; dtype q8, as last loaded.');
  second.dtype = 'fp32';
  second.device = 'wasm';
  await second.load();
  expect(second.chosen).toBe('Device WASM, picked on this card; dtype fp32, picked on this card.');
  expect(second.notice).toBe('The dtype is fp32 now, q8 at the last load: picked on this card.');
  await second.loadAgain();
  expect(second.chosen).toBe('Device WASM and dtype fp32 as last loaded.');
});
