// The corpus worker's embedding model: load, embed in batches into unit vectors, count tokens (chunk
// sizes are counted with its tokenizer once it is loaded). Also run in-process by the CLI and the bench.
import { AutoModel, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { CancelledError, NotReadyError } from '../../core/errors';
import { exactTokenCounter, type TokenizerDescription } from '../../core/chunking';
import type { LoadOptions, ModelSource } from '../../core/models';
import { runtimeDevice } from '../../config/device';
import { describeLoaded, forgetModel, loadModel, sessionInputs, type LoadProgress } from '../models/load';
import type { LoadedModel } from '../models/protocol';
import { yieldToEventLoop } from '../yield';

/** Architectures with a feature-extraction head (AutoModel's own mapping, not its base-class fallback). */
function supportsEmbedding(modelType: string): boolean {
  const mappings = (AutoModel as unknown as { MODEL_CLASS_MAPPINGS?: Map<string, unknown>[] }).MODEL_CLASS_MAPPINGS ?? [];
  return mappings.some((m) => m.has(modelType));
}

export class EmbedService {
  private extractor: FeatureExtractionPipeline | null = null;
  model: LoadedModel | null = null;

  async load(source: ModelSource, options: LoadOptions, hooks: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {}): Promise<LoadedModel> {
    const { value, info } = await loadModel<FeatureExtractionPipeline>({
      source,
      options,
      task: 'feature-extraction',
      supports: supportsEmbedding,
      signal: hooks.signal,
      onProgress: hooks.onProgress,
      create: (id, info, progress_callback) =>
        pipeline('feature-extraction', id, {
          device: runtimeDevice(info.device.device),
          dtype: info.dtype,
          revision: source.kind === 'hub' ? source.revision : undefined,
          progress_callback,
        }) as Promise<FeatureExtractionPipeline>,
      inputNames: (extractor) => sessionInputs(extractor.model),
      dispose: (extractor) => extractor.dispose(),
    });
    // One embedding model at a time: release the previous one.
    if (this.extractor && this.model && this.model.key !== info.key) {
      forgetModel(this.model.key);
      await this.extractor.dispose();
    }
    this.extractor = value;
    this.model = describeLoaded(info);
    return this.model;
  }

  /** Embeds `texts` into one row-major Float32Array of unit vectors. */
  async embed(texts: string[], hooks: { signal?: AbortSignal; batchSize?: number } = {}): Promise<{ dim: number; vectors: Float32Array }> {
    const extractor = this.loaded();
    const batchSize = hooks.batchSize ?? 16;
    let dim = 0;
    let vectors = new Float32Array(0);
    for (let start = 0; start < texts.length; start += batchSize) {
      await yieldToEventLoop();
      if (hooks.signal?.aborted) throw new CancelledError('Embedding was cancelled.');
      const output = await extractor(texts.slice(start, start + batchSize), { pooling: 'mean', normalize: true });
      if (start === 0) {
        dim = output.dims[output.dims.length - 1];
        vectors = new Float32Array(texts.length * dim);
      }
      vectors.set(output.data as Float32Array, start * dim);
      output.dispose?.();
    }
    return { dim, vectors };
  }

  /** Tokens of `text` without special tokens; exact, and each distinct word tokenised once where counts add up over words. */
  countTokens(text: string): number {
    const { tokenizer } = this.loaded();
    if (this.counter?.tokenizer !== tokenizer) {
      const description = (tokenizer as { _tokenizerJSON?: TokenizerDescription })._tokenizerJSON;
      this.counter = { tokenizer, count: exactTokenCounter(description, (t) => tokenizer.encode(t, { add_special_tokens: false }).length) };
    }
    return this.counter.count(text);
  }

  private counter: { tokenizer: object; count: (text: string) => number } | null = null;

  get ready(): boolean {
    return this.extractor !== null;
  }

  private loaded(): FeatureExtractionPipeline {
    if (!this.extractor) throw new NotReadyError('No embedding model is loaded yet: load one first.');
    return this.extractor;
  }
}
