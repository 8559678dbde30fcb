// Node adapter: reads a docs folder into the same `{ path, blob }` files a folder drop gives the app.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { IngestFile } from '../lib/core/corpus/reports';
import { CliError } from './cli-error';
import { isSystemError, systemReason } from './fs-errors';

export async function readDocsFolder(dir: string): Promise<IngestFile[]> {
  const root = resolve(dir);
  const info = await stat(root).catch((error: unknown) => {
    if (isSystemError(error) && error.code !== 'ENOENT') throw new CliError(`Cannot read the docs folder ${root}: ${systemReason(error)}`);
    return null;
  });
  if (!info) throw new CliError(`Docs folder not found: ${root}`);
  if (!info.isDirectory()) throw new CliError(`--docs must be a folder, but ${root} is a file.`);
  const files: IngestFile[] = [];
  async function walk(folder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push({ path: relative(root, path).split(sep).join('/'), blob: new Blob([await readFile(path)]) });
    }
  }
  await walk(root);
  if (files.length === 0) throw new CliError(`The docs folder ${root} has no files.`);
  return files;
}
