// Turns a folder the user picked (<input webkitdirectory>) or dropped into ModelFiles whose paths are
// relative to the folder, ready for a `files` model source.
import { normaliseModelFiles, type ModelFile } from '../core/models';

export interface PickedFolder {
  name: string;
  files: ModelFile[];
}

/** From a directory picker's FileList; null when nothing was picked. */
export function folderFromFileList(list: FileList | null): PickedFolder | null {
  const files = [...(list ?? [])].filter((f) => !isHidden(f.webkitRelativePath || f.name)).map((f) => ({ path: f.webkitRelativePath || f.name, blob: f }));
  return files.length ? { name: folderName(files), files: normaliseModelFiles(files) } : null;
}

/**
 * The entries of a drop. NOTE: call it synchronously inside the `drop` handler: the browser empties
 * the DataTransfer once the event returns.
 */
export function droppedEntries(transfer: DataTransfer | null): FileSystemEntry[] {
  return [...(transfer?.items ?? [])]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
}

/** Reads every file under the dropped entries (directories walked recursively). */
export async function folderFromEntries(entries: FileSystemEntry[]): Promise<PickedFolder | null> {
  const files: ModelFile[] = [];
  for (const entry of entries) await walk(entry, files);
  return files.length ? { name: folderName(files), files: normaliseModelFiles(files) } : null;
}

async function walk(entry: FileSystemEntry, out: ModelFile[]): Promise<void> {
  if (isHidden(entry.name)) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath, blob: file });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns the listing in batches; an empty batch means the end.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  }
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
