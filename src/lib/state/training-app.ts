// The Fine-tune page's dependencies in the app: the training worker, its IndexedDB store, the Dataset page's
// chat export (train split), the bundled demo base model, and the arena's fine-tuned card for the result.
import { demoBaseUrl } from '../config/demo-models';
import { TrainerClient } from '../clients/trainer';
import type { ChatMessage } from '../core/generation';
import { trainStore } from '../store/train-db';
import type { DatasetState } from './dataset.svelte';
import type { ModelsState } from './models.svelte';
import type { TrainingDeps } from './training.svelte';

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
    base: () => ({ source: { kind: 'url', url: demoBaseUrl(location.href) }, label: 'demo-base' }),
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
