// Which dropped files the corpus accepts, and why it skips the others (each reason shown to the user).

export const ACCEPTED_EXTENSIONS = ['.md', '.markdown', '.mdx', '.txt'] as const;
/** Larger files are skipped: a single document this big is almost always an export or a log. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Returns why the file is skipped before reading it, or null when it may be read. */
export function screenFile(path: string, bytes: number): string | null {
  const name = path.split('/').pop() ?? path;
  if (name.startsWith('.')) return 'hidden file';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(extension)) {
    return `not a markdown or text file (${extension || 'no extension'}; accepted: ${ACCEPTED_EXTENSIONS.join(', ')})`;
  }
  if (bytes > MAX_FILE_BYTES) return `too large (${formatBytes(bytes)}; the limit is ${formatBytes(MAX_FILE_BYTES)} per file)`;
  return null;
}

/** Normalises a dropped path: forward slashes, no leading `./` or `/`. */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}
