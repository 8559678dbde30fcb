// What a training run will hold in memory, estimated before it starts, so a run that cannot fit is refused with
// a smaller setting instead of crashing the tab minutes in. The figures count float32 arrays the trainer keeps
// (frozen weights, adapters with their gradients and AdamW moments) and those the backward pass saves for one
// micro-batch of one example, once for every padded length the run uses (jax-js's WASM allocator keeps each
// length's buffers apart), times what jax-js was measured to hold beyond that count.
import { paddedLength } from './batches';
import { projectionDims, type DecoderConfig } from './decoder-weights';
import type { TrainSettings } from './settings';

const FLOAT = 4;
/**
 * jax-js's WASM memory over the activations counted here, measured on the demo base model (rank 16): 766 MB
 * for one 1,536-token length (219 MB counted), 1,438 MB for 512/768/1,024/1,536 together (436 MB counted).
 */
export const ACTIVATION_OVERHEAD = 3.5;

export interface MemoryEstimate {
  weights: number;
  /** Adapters, their gradients (two copies while a step accumulates) and AdamW's two moments. */
  adapters: number;
  /** Activations the backward pass keeps for one example, summed over the run's padded lengths (× ACTIVATION_OVERHEAD). */
  activations: number;
  /** The largest single array (WebGPU refuses buffers over its maxBufferSize). */
  largestArray: number;
  /** weights + adapters + activations. */
  total: number;
}

/** Trainable LoRA parameters for `settings` on this architecture. */
export function loraParameters(config: DecoderConfig, settings: Pick<TrainSettings, 'rank' | 'targets'>): number {
  const dims = projectionDims(config);
  return config.layers * settings.targets.reduce((n, t) => n + settings.rank * (dims[t][0] + dims[t][1]), 0);
}

/** Parameters of the frozen base model. */
export function baseParameters(config: DecoderConfig): number {
  const { hidden, heads, kvHeads, headDim, intermediate, vocabSize, layers } = config;
  const perLayer = hidden * (heads + 2 * kvHeads) * headDim + heads * headDim * hidden + 3 * hidden * intermediate + 2 * hidden;
  return vocabSize * hidden * (config.tied ? 1 : 2) + layers * perLayer + hidden;
}

/** The estimate for training on examples of these token counts. */
export function estimateMemory(config: DecoderConfig, settings: Pick<TrainSettings, 'rank' | 'targets'>, lengths: readonly number[]): MemoryEstimate {
  const { hidden, heads, kvHeads, headDim, intermediate, vocabSize, layers } = config;
  const weights = baseParameters(config) * FLOAT;
  const adapters = loraParameters(config, settings) * FLOAT * 5;
  // Per layer: residual, two norms, q/k/v before and after RoPE, attention output, o, gate, up, their product,
  // and the scores and probabilities (heads × T²); then the final norm and the logits with their softmax.
  const perToken = 4 * hidden + 2 * (heads + 2 * kvHeads) * headDim + 2 * heads * headDim + 4 * intermediate;
  const padded = [...new Set(lengths.map(paddedLength))];
  const longest = Math.max(64, ...padded);
  const counted = padded.reduce((sum, t) => sum + (layers * (t * perToken + 2 * heads * t * t) + t * (hidden + 2 * vocabSize)) * FLOAT, 0);
  const activations = counted * ACTIVATION_OVERHEAD;
  const largestArray = Math.max(longest * vocabSize, heads * longest * longest, vocabSize * hidden) * FLOAT;
  return { weights, adapters, activations, largestArray, total: weights + adapters + activations };
}

export interface MemoryLimits {
  /** Bytes the backend can hold in all (WASM: its 4 GiB address space; WebGPU: what the device is thought to have). */
  total: number;
  /** Bytes one array may take (WebGPU's maxBufferSize); Infinity when unbounded. */
  array: number;
}

/**
 * Null when training on examples of these token counts fits; otherwise why not, and the longest maximum length (a
 * multiple of 64, at least 64) that would fit, or null when even that does not.
 */
export function checkMemory(config: DecoderConfig, settings: Pick<TrainSettings, 'rank' | 'targets'>, lengths: readonly number[], limits: MemoryLimits): { reason: string; fitsTokens: number | null } | null {
  const capped = (cap: number) => estimateMemory(config, settings, lengths.map((n) => Math.min(n, cap)));
  const fits = (e: MemoryEstimate) => e.total <= limits.total && e.largestArray <= limits.array;
  const estimate = capped(Infinity);
  if (fits(estimate)) return null;
  const reason =
    estimate.largestArray > limits.array
      ? `one array would take ${mb(estimate.largestArray)}, over this device's ${mb(limits.array)} buffer limit`
      : `training would need about ${mb(estimate.total)}, over the ${mb(limits.total)} this backend can hold`;
  let best: number | null = null;
  const longest = Math.max(...lengths);
  for (let cap = 64; cap < longest && fits(capped(cap)); cap += 64) best = cap;
  return { reason, fitsTokens: best };
}

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
