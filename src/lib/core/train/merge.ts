// Folds trained LoRA adapters into the base weights (W' = W + (alpha / r) · A·B, as PEFT's merge_and_unload), so
// the fine-tuned model runs with no adapter code: in the trainer's forward pass, or written back to ONNX.
import type { DecoderWeights, Projection } from './decoder-weights';
import type { HostAdapter, HostAdapters } from './peft-adapter';

/** `weight` [in, out] plus scale · a [in, r] · b [r, out], as a new array. */
export function mergedWeight(weight: Float32Array, adapter: HostAdapter, rank: number, scale: number): Float32Array {
  const { a, b, inDim, outDim } = adapter;
  if (weight.length !== inDim * outDim) throw new RangeError(`an adapter of [${inDim}, ${outDim}] does not fit a weight of ${weight.length} values`);
  const out = Float32Array.from(weight);
  const row = new Float64Array(outDim);
  for (let i = 0; i < inDim; i++) {
    row.fill(0);
    for (let k = 0; k < rank; k++) {
      const aik = a[i * rank + k];
      if (aik === 0) continue;
      for (let j = 0; j < outDim; j++) row[j] += aik * b[k * outDim + j];
    }
    for (let j = 0; j < outDim; j++) out[i * outDim + j] += scale * row[j];
  }
  return out;
}

/** The base weights with every adapter merged in (the base is left as it was). */
export function mergeAdapters(weights: DecoderWeights, adapters: HostAdapters, rank: number, alpha: number): DecoderWeights {
  if (adapters.length !== weights.layers.length) throw new RangeError(`${adapters.length} layers of adapters for a model of ${weights.layers.length}`);
  const scale = alpha / rank;
  return {
    ...weights,
    layers: weights.layers.map((layer, i) => {
      const proj = { ...layer.proj };
      for (const [name, adapter] of Object.entries(adapters[i]) as [Projection, HostAdapter][]) {
        proj[name] = { ...proj[name], weight: mergedWeight(proj[name].weight, adapter, rank, scale) };
      }
      return { ...layer, proj };
    }),
  };
}
