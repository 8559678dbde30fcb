// Node adapter: reads a model folder from disk into the same `files` source the browser builds
// from a picked folder, so the CLI and Node tests load models through the app's one loading path.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { ModelLoadError } from '../lib/core/errors';
import { DTYPE_SUFFIX, normaliseModelFiles, type Dtype, type ModelFile, type ModelSource } from '../lib/core/models';

/** Small files transformers.js may read besides the weights (configs, tokenizers, templates). */
const SIDE_FILE = /\.(json|txt|jinja|model)$/;

/**
 * The folder's files; with `dtype`, only those that dtype needs: the configs and tokenizer files and
 * onnx/model{suffix}.onnx with its external data (not the other dtypes' weights, nor safetensors).
 * Symlinked files and folders are followed.
 * NOTE: read into memory: Node's file-backed Blobs (openAsBlob) cannot cross the worker protocol.
 */
export async function readModelFolder(dir: string, dtype?: Dtype): Promise<Extract<ModelSource, { kind: 'files' }>> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new ModelLoadError(`Model folder not found: ${root}`, 'invalid-source');
  const paths = await walk(root);
  // NOTE: normalise first (a root-level model.onnx counts as onnx/model.onnx), then keep what the dtype needs.
  const named = normaliseModelFiles(paths.map((path) => ({ path: relative(root, path).split(sep).join('/'), blob: new Blob() })));
  const weights = dtype && `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
  const files: ModelFile[] = [];
  for (const [i, { path }] of named.entries()) {
    const needed = !weights || path === weights || path.startsWith(`${weights}_data`) || (!path.startsWith('onnx/') && SIDE_FILE.test(path));
    if (needed) files.push({ path, blob: new Blob([await readFile(paths[i])]) });
  }
  return { kind: 'files', name: basename(root), files };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // NOTE: a symlink's Dirent is neither file nor folder; stat follows it (a dangling one is skipped).
    const kind = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
    if (kind?.isDirectory()) out.push(...(await walk(path)));
    else if (kind?.isFile()) out.push(path);
  }
  return out.sort();
}
