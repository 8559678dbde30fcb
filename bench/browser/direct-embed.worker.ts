// Bench-only worker: the same model called directly through transformers.js' feature-extraction
// pipeline, with no app code in the way — the baseline for the app's corpus worker, which embeds.
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { ortWasmPaths } from '../../src/lib/workers/models/ort-wasm';
import type { FromDirect, ToDirect } from './embed-protocol';

let extractor: FeatureExtractionPipeline | null = null;
const reply = (message: FromDirect, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = async (event: MessageEvent<ToDirect>) => {
  const message = event.data;
  try {
    if (message.kind === 'load') {
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.useBrowserCache = false;
      env.localModelPath = message.modelBase;
      const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
      if (onnx.wasm) onnx.wasm.wasmPaths = { ...ortWasmPaths };
      if (onnx.wasm && message.threads) onnx.wasm.numThreads = message.threads;
      extractor = (await pipeline('feature-extraction', message.modelId, { device: message.device, dtype: message.dtype })) as FeatureExtractionPipeline;
      reply({ kind: 'loaded' });
    } else {
      if (!extractor) throw new Error('load first');
      const parts: Float32Array[] = [];
      for (let start = 0; start < message.texts.length; start += message.batchSize) {
        const output = await extractor(message.texts.slice(start, start + message.batchSize), { pooling: 'mean', normalize: true });
        parts.push(output.data as Float32Array);
      }
      const vectors = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((offset, p) => (vectors.set(p, offset), offset + p.length), 0);
      reply({ kind: 'embedded', vectors }, [vectors.buffer]);
    }
  } catch (error) {
    reply({ kind: 'error', message: (error as Error).message });
  }
};
