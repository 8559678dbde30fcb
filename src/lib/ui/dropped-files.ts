// Files from a drop or a file input, each with its path relative to what was picked: a folder named
// `notes` gives `notes/a.md` whether it is dropped or picked, a loose file just its name.

export interface PickedFile {
  path: string;
  blob: File;
}

/** Dot-folders (.git, .obsidian, .trash) hold tool data, not documents: never walked. */
export function isHiddenFolder(path: string): boolean {
  return path.split('/').slice(0, -1).some((part) => part.startsWith('.'));
}

/** From a file input (plain or `webkitdirectory`); files inside dot-folders are left out. */
export function filesFromList(list: FileList | null): PickedFile[] {
  return [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, blob: file })).filter((f) => !isHiddenFolder(f.path));
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

/** Reads every file under the dropped entries, walking directories; `keep` decides which entries count. */
export async function readEntries(entries: FileSystemEntry[], keep: (entry: FileSystemEntry) => boolean): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, keep, out);
  return out;
}

async function walk(entry: FileSystemEntry, keep: (entry: FileSystemEntry) => boolean, out: PickedFile[]): Promise<void> {
  if (!keep(entry)) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), blob: file });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns the listing in batches; an empty batch means the end.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, keep, out);
    }
  }
}
