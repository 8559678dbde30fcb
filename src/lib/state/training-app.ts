// The Fine-tune page's dependencies in the app: the training worker, its IndexedDB store, the Dataset page's
// chat export (train split), the bundled demo base model, and the arena's fine-tuned card for the result.
import { demoBaseUrl } from '../config/demo-models';
import { TrainerClient } from '../clients/trainer';
import type { ChatMessage } from '../core/generation';
import type { ModelSource } from '../core/models';
import { trainStore } from '../store/train-db';
import type { DatasetState } from './dataset.svelte';
import type { ModelsState } from './models.svelte';
import type { TrainingDeps } from './training.svelte';

/** The base model loaded in Models as the trainer reads it (a picked folder or a folder URL); null otherwise. */
function loadedBaseSource(models: ModelsState): { source: ModelSource; label: string } | null {
  const slot = models.base;
  if (!slot.loaded) return null;
  if (slot.sourceKind === 'url' && slot.folderUrl) return { source: { kind: 'url', url: slot.folderUrl }, label: slot.loaded.label };
  if (slot.sourceKind === 'files' && slot.folder) return { source: { kind: 'files', ...slot.folder }, label: slot.loaded.label };
  return null;
}

export function appTrainingDeps({ models, dataset }: { models: ModelsState; dataset: DatasetState }): TrainingDeps {
  return {
    trainer: () => new TrainerClient(),
    store: trainStore(),
    chats: async () => {
      const files = await dataset.filesFor('chat');
      return files['train.jsonl']
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => (JSON.parse(line) as { messages: ChatMessage[] }).messages);
    },
    base: (choice) => {
      if (choice === 'demo') return { source: { kind: 'url', url: demoBaseUrl(location.href) }, label: 'demo-base' };
      const source = loadedBaseSource(models);
      if (!source) throw new Error('No base model from a folder or URL is loaded in Models: load one there, or train the demo base.');
      return source;
    },
    loadedBase: () => loadedBaseSource(models)?.label ?? null,
    useAsFineTuned: async (folder) => {
      const slot = models.tuned;
      slot.sourceKind = 'files';
      slot.folder = folder;
      slot.device = 'wasm';
      slot.dtype = 'fp32';
      await slot.load();
      if (slot.error) throw new Error(slot.error);
    },
  };
}
