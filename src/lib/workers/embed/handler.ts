// Embedding worker logic, free of worker wiring so Node tests and the CLI run it in-process.
import { applyWorkerSettings, configureTransformers, type TransformersSetup } from '../models/transformers-env';
import type { Handlers } from '../rpc';
import type { EmbedApi } from './protocol';
import { EmbedService } from './service';

export function createEmbedHandlers(setup: TransformersSetup, service = new EmbedService()): Handlers<EmbedApi> {
  configureTransformers(setup);
  return {
    async configure(settings) {
      applyWorkerSettings(settings);
    },
    load: ({ source, options }, { signal, progress }) => service.load(source, options, { signal, onProgress: progress }),
    async embed({ texts, batchSize }, { signal, progress, transfer }) {
      const result = await service.embed(texts, { signal, batchSize, onProgress: progress });
      transfer(result.vectors.buffer);
      return result;
    },
    async countTokens({ texts }) {
      return texts.map((t) => service.countTokens(t));
    },
  };
}
