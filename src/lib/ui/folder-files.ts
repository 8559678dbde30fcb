// Turns a folder the user picked (<input webkitdirectory>) or dropped into ModelFiles whose paths are
// relative to the folder, ready for a `files` model source.
import { normaliseModelFiles, type ModelFile } from '../core/models';
import { readEntries } from './dropped-files';

export interface PickedFolder {
  name: string;
  files: ModelFile[];
}

/** From a directory picker's FileList; null when nothing was picked. */
export function folderFromFileList(list: FileList | null): PickedFolder | null {
  const files = [...(list ?? [])].filter((f) => !isHidden(f.webkitRelativePath || f.name)).map((f) => ({ path: f.webkitRelativePath || f.name, blob: f }));
  return files.length ? { name: folderName(files), files: normaliseModelFiles(files) } : null;
}

/** Reads every file under the dropped entries (directories walked recursively). */
export async function folderFromEntries(entries: FileSystemEntry[]): Promise<PickedFolder | null> {
  const files: ModelFile[] = await readEntries(entries, (entry) => !isHidden(entry.name));
  return files.length ? { name: folderName(files), files: normaliseModelFiles(files) } : null;
}

/** The folder's own name: the first path segment when every file shares it. */
function folderName(files: ModelFile[]): string {
  const firsts = new Set(files.map((f) => f.path.replace(/^\/+/, '').split('/')[0]));
  const [first] = firsts;
  return firsts.size === 1 && files.every((f) => f.path.replace(/^\/+/, '').includes('/')) ? first : 'dropped files';
}

/** Dot-files and dot-folders (.git, .DS_Store) are never part of a model. */
function isHidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}
