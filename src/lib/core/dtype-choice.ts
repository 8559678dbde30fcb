// Which dtype a model card starts on, given the device and the sizes of the dtypes a folder has, and the
// out-of-memory advice, which names only dtypes the folder has. Pure: the form and the loader share it.
import { DTYPES, onnxFileFor, type Device, type Dtype } from './models';
import { MIN_BYTES_PER_VALUE, onnxFilesOf } from './onnx/model-fit';

/**
 * Above this many bytes of ONNX files a dtype is not a WASM default. NOTE: loading on WASM needs a few times the
 * file's size at its peak: SmolLM2-360M in fp32 (1.45 GB of files) died with `std::bad_alloc` at 6.2 GB, while
 * its q8 (0.4 GB) loads.
 */
export const WASM_DEFAULT_MAX_BYTES = 1e9;

/** Preference order when the backend's default is missing or too large: fast and safe first. */
const ORDER: Record<Device, readonly Dtype[]> = {
  wasm: ['q8', 'fp32', 'q4', 'fp16', 'q4f16'],
  webgpu: ['q4f16', 'fp16', 'q4', 'q8', 'fp32'],
};

/** The dtypes a folder has and the bytes of each one's ONNX files (graph and external data). */
export function dtypeSizes(files: Iterable<{ path: string; size: number }>): { dtype: Dtype; bytes: number }[] {
  const sizes = new Map([...files].map((f) => [f.path, f.size]));
  return DTYPES.filter((d) => sizes.has(onnxFileFor(d))).map((dtype) => ({
    dtype,
    bytes: onnxFilesOf(onnxFileFor(dtype), sizes.keys()).reduce((sum, p) => sum + Math.max(0, sizes.get(p) ?? 0), 0),
  }));
}

/**
 * The dtype a card starts on: the backend's `preferred` one when the folder has it (or nothing is known),
 * else the first the folder has in the backend's order; on WASM never one whose files are over
 * WASM_DEFAULT_MAX_BYTES while a smaller one is there.
 */
export function defaultDtype(device: Device, preferred: Dtype, folder: readonly { dtype: Dtype; bytes: number }[] | null): Dtype {
  if (!folder?.length) return preferred;
  const fits = (f: { bytes: number }) => device !== 'wasm' || f.bytes <= WASM_DEFAULT_MAX_BYTES;
  const order = [preferred, ...ORDER[device].filter((d) => d !== preferred)];
  const ranked = order.map((d) => folder.find((f) => f.dtype === d)).filter((f): f is { dtype: Dtype; bytes: number } => !!f);
  const choice = ranked.find(fits) ?? [...ranked].sort((a, b) => a.bytes - b.bytes)[0];
  return choice.dtype;
}

/** What to pick after running out of memory on `dtype`, naming only smaller dtypes the folder has (when known). */
export function smallerDtypeAdvice(dtype: Dtype, available: readonly Dtype[] | null): string {
  const size = (d: Dtype) => MIN_BYTES_PER_VALUE[d] ?? 1;
  if (!available) return `Pick a smaller dtype than ${dtype} if the model has one, or a smaller model.`;
  const smaller = available.filter((d) => size(d) < size(dtype)).sort((a, b) => size(b) - size(a));
  if (smaller.length) return `Pick a smaller dtype this folder has (${smaller.join(', ')}).`;
  return `This folder has no dtype smaller than ${dtype}: export a quantized one (the recipe's export writes q8 next to fp32) or pick a smaller model.`;
}
