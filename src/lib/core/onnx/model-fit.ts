// Whether a model's ONNX files can be held where it would run, decided from their sizes before any
// byte is loaded: ONNX Runtime Web parses one protobuf of at most 2 GiB, holds the weights in a
// worker's wasm32 memory (4 GiB at most, on WebGPU too while the session is built), and a WebGPU
// adapter has a largest buffer. navigator.deviceMemory is only a hint: it gives a warning, never a refusal.

export const GiB = 1024 ** 3;
/** protobuf's limit on one message: a single .onnx file above it cannot be parsed. */
export const PROTOBUF_LIMIT = 2 * GiB;
/** wasm32 address space of one worker. */
export const WASM_MEMORY_LIMIT = 4 * GiB;
/** Kept free of weights in that memory: the runtime, activations and the KV cache. */
export const WASM_RESERVE = 512 * 1024 ** 2;

/** Where the weights go: ONNX Runtime Web (in a wasm32 worker) or onnxruntime-node (CLI, tests). */
export type Runtime = 'web' | 'native';

export interface FitInput {
  /** The ONNX files of the chosen dtype: the graph and any external data (`model.onnx_data`). */
  files: readonly { path: string; size: number }[];
  device: 'wasm' | 'webgpu';
  runtime: Runtime;
  /** navigator.deviceMemory in GiB (browsers round it and cap it, e.g. Chrome at 8). */
  deviceMemoryGiB?: number;
  /** The WebGPU adapter's largest buffer (min of maxBufferSize and maxStorageBufferBindingSize). */
  gpuBufferLimit?: number;
  /** A lower bound of the largest single weight (the token embedding), when config.json tells it. */
  largestWeightBytes?: number;
  /** What to pick instead, naming the dtypes the folder has (default: general advice). */
  smaller?: string;
}

export type FitDecision =
  | { fit: 'ok'; bytes: number; warning?: string }
  /** It cannot be held here at all: the message says why and what to pick instead. */
  | { fit: 'too-large'; bytes: number; message: string }
  /** WebGPU cannot hold it but WASM can: run there, and say why. */
  | { fit: 'wasm-instead'; bytes: number; reason: string };

/** Bytes as `1.2 GB` (decimal units, as file managers show sizes). */
export function formatSize(bytes: number): string {
  if (bytes < 1e6) return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

const SMALLER = 'Pick a smaller dtype (q4 or q4f16 are about a quarter of fp32) or a smaller model.';

export function decideFit(input: FitInput): FitDecision {
  const bytes = input.files.reduce((sum, f) => sum + f.size, 0);
  // 1. One protobuf over 2 GiB cannot be parsed by any ONNX Runtime.
  const huge = input.files.find((f) => /\.onnx$/.test(f.path) && f.size > PROTOBUF_LIMIT);
  if (huge) {
    return {
      fit: 'too-large',
      bytes,
      message: `${huge.path} is ${formatSize(huge.size)}: ONNX Runtime cannot read a single ONNX file over 2 GiB. ${input.smaller ?? SMALLER} Or export the weights as external data (model.onnx_data) next to a small model.onnx.`,
    };
  }
  // 2. In the browser the weights pass through the worker's wasm32 memory, on WebGPU too while the session is built.
  if (input.runtime === 'web' && bytes > WASM_MEMORY_LIMIT - WASM_RESERVE) {
    const where = input.device === 'webgpu' ? 'while WebGPU builds the session, ' : '';
    return {
      fit: 'too-large',
      bytes,
      message: `The ONNX files of this dtype are ${formatSize(bytes)}; ${where}ONNX Runtime Web holds the weights in the worker's WebAssembly memory, which is limited to 4 GiB with about ${formatSize(WASM_RESERVE)} needed to run. ${input.smaller ?? SMALLER}`,
    };
  }
  // 3. On WebGPU, each weight is one buffer: the largest must fit the adapter's limit.
  if (input.device === 'webgpu' && input.gpuBufferLimit && input.largestWeightBytes && input.largestWeightBytes > input.gpuBufferLimit) {
    return {
      fit: 'wasm-instead',
      bytes,
      reason: `its largest weight (at least ${formatSize(input.largestWeightBytes)}) is over this WebGPU adapter's buffer limit (${formatSize(input.gpuBufferLimit)})`,
    };
  }
  // 4. A hint only: the reported memory is rounded, and other tabs share it.
  if (input.runtime === 'web' && input.deviceMemoryGiB && bytes > (input.deviceMemoryGiB * GiB) / 2) {
    return {
      fit: 'ok',
      bytes,
      warning: `This device reports about ${input.deviceMemoryGiB} GB of memory and the model's weights are ${formatSize(bytes)}: if the tab runs out of memory, close other tabs or pick a smaller dtype.`,
    };
  }
  return { fit: 'ok', bytes };
}

/** Bytes per weight value of a dtype, at the least (quantized exports may keep some weights wider). */
export const MIN_BYTES_PER_VALUE: Record<string, number> = { fp32: 4, fp16: 2, q8: 1, q4: 0.5, q4f16: 0.5 };

/** A lower bound of the token embedding's size from config.json (vocab × hidden), or undefined. */
export function embeddingBytes(config: Record<string, unknown> | null, dtype: string): number | undefined {
  const text = (config?.text_config ?? config) as Record<string, unknown> | null;
  const vocab = text?.vocab_size;
  const hidden = text?.hidden_size ?? text?.n_embd ?? text?.d_model;
  if (typeof vocab !== 'number' || typeof hidden !== 'number') return undefined;
  return vocab * hidden * (MIN_BYTES_PER_VALUE[dtype] ?? 0.5);
}

/** The ONNX files a dtype loads among `paths`: `onnx/model{suffix}.onnx` and its external data parts. */
export function onnxFilesOf(mainFile: string, paths: Iterable<string>): string[] {
  const data = new RegExp(`^${mainFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_data(_\\d+)?$`);
  return [...paths].filter((p) => p === mainFile || data.test(p)).sort();
}
