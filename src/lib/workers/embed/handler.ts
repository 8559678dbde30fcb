// Embedding worker logic, free of worker wiring so Node tests and the CLI run it in-process.
import { AutoModel, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { CancelledError, NotReadyError } from '../../core/errors';
import { runtimeDevice } from '../models/device';
import { loadModel } from '../models/load';
import type { LoadedModel } from '../models/protocol';
import { configureTransformers, setHubAllowed, type TransformersSetup } from '../models/transformers-env';
import type { Handlers } from '../rpc';
import { yieldToEventLoop } from '../yield';
import type { EmbedApi } from './protocol';

/** Architectures with a feature-extraction head (AutoModel's own mapping, not its base-class fallback). */
function supportsEmbedding(modelType: string): boolean {
  const mappings = (AutoModel as unknown as { MODEL_CLASS_MAPPINGS?: Map<string, unknown>[] }).MODEL_CLASS_MAPPINGS ?? [];
  return mappings.some((m) => m.has(modelType));
}

export function createEmbedHandlers(setup: TransformersSetup): Handlers<EmbedApi> {
  configureTransformers(setup);
  let current: { extractor: FeatureExtractionPipeline; model: LoadedModel } | null = null;

  return {
    async configure({ allowHub }) {
      setHubAllowed(allowHub);
    },

    async load({ source, options }, { signal, progress }) {
      const { value: extractor, info } = await loadModel<FeatureExtractionPipeline>({
        source,
        options,
        task: 'feature-extraction',
        supports: supportsEmbedding,
        signal,
        onProgress: progress,
        create: (id, info, progress_callback) =>
          pipeline('feature-extraction', id, {
            device: runtimeDevice(info.device.device),
            dtype: info.dtype,
            revision: source.kind === 'hub' ? source.revision : undefined,
            progress_callback,
          }) as Promise<FeatureExtractionPipeline>,
      });
      const model: LoadedModel = { key: info.key, label: info.label, device: info.device, dtype: info.dtype, modelType: String(info.config.model_type) };
      current = { extractor, model };
      return model;
    },

    async embed({ texts, batchSize = 16 }, { signal, progress, transfer }) {
      if (!current) throw new NotReadyError('No embedding model is loaded yet: load one first.');
      const { extractor } = current;
      let dim = 0;
      let vectors = new Float32Array(0);
      for (let start = 0; start < texts.length; start += batchSize) {
        await yieldToEventLoop();
        if (signal.aborted) throw new CancelledError('Embedding was cancelled.');
        const batch = texts.slice(start, start + batchSize);
        const output = await extractor(batch, { pooling: 'mean', normalize: true });
        if (start === 0) {
          dim = output.dims[output.dims.length - 1];
          vectors = new Float32Array(texts.length * dim);
        }
        vectors.set(output.data as Float32Array, start * dim);
        output.dispose?.();
        progress({ done: Math.min(start + batchSize, texts.length), total: texts.length });
      }
      transfer(vectors.buffer);
      return { dim, vectors };
    },

    async countTokens({ texts }) {
      if (!current) throw new NotReadyError('No embedding model is loaded yet: load one first.');
      const { tokenizer } = current.extractor;
      return texts.map((t) => tokenizer.encode(t).length);
    },
  };
}
