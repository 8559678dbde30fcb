// Model folders for the benchmarks: the app's `files` source of a folder, with the dtype to load
// (fp32 when the folder has it, else the first dtype it has).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readModelFolder } from '../../src/cli/model-folder';
import { availableDtypes, type Dtype, type LoadOptions, type ModelSource } from '../../src/lib/core/models';

export async function dtypeOf(folder: string): Promise<Dtype> {
  const onnx = await readdir(join(folder, 'onnx')).catch(() => [] as string[]);
  const dtypes = availableDtypes(onnx.map((file) => `onnx/${file}`));
  return dtypes.includes('fp32') ? 'fp32' : (dtypes[0] ?? 'fp32');
}

/** What the app's loader takes for `folder`, on the CPU (Node's name for the WASM device). */
export async function appModel(folder: string): Promise<{ source: ModelSource; options: LoadOptions }> {
  return { source: await readModelFolder(folder), options: { device: 'wasm', dtype: await dtypeOf(folder) } };
}
