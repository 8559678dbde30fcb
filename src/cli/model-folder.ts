// Node adapter: reads a model folder from disk into the same `files` source the browser builds
// from a picked folder, so the CLI and Node tests load models through the app's one loading path.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { ModelLoadError } from '../lib/core/errors';
import { normaliseModelFiles, type ModelFile, type ModelSource } from '../lib/core/models';

export async function readModelFolder(dir: string): Promise<Extract<ModelSource, { kind: 'files' }>> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new ModelLoadError(`Model folder not found: ${root}`, 'invalid-source');
  const files: ModelFile[] = [];
  for (const path of await walk(root)) {
    files.push({ path: relative(root, path).split(sep).join('/'), blob: new Blob([await readFile(path)]) });
  }
  return { kind: 'files', name: basename(root), files: normaliseModelFiles(files) };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
