// Turns transformers.js's per-file progress events into one LoadProgress report, and lets the loader
// watch the ONNX files' announced sizes (a Hub download is refused as soon as its size is known).
import { LOAD_PROGRESS_EVERY_MS } from '../../config/tunables';
import type { LoadProgress } from '../../core/model-status';

export type { LoadProgress };

export type FileSizes = { path: string; size: number }[];

export interface TrackerOptions {
  /** Shortest gap between two reports of bytes streaming in; a file's start, new size and end are always reported. */
  everyMs?: number;
  now?: () => number;
}

/**
 * NOTE: transformers.js reports every chunk a body read yields (hundreds for one model file); each report
 * becomes a message to the page and a redraw there, so bytes-only reports are thinned to one per `everyMs`.
 */
export function progressTracker(onProgress?: (p: LoadProgress) => void, onSizes?: (files: FileSizes) => void, options: TrackerOptions = {}): (event: unknown) => void {
  const { everyMs = LOAD_PROGRESS_EVERY_MS, now = () => performance.now() } = options;
  const files = new Map<string, { file: string; loaded: number; total: number; done: boolean }>();
  let reportedAt = -Infinity;
  return (raw) => {
    const event = raw as { status?: string; file?: string; loaded?: number; total?: number };
    if (!event.file) return;
    const known = files.get(event.file);
    const entry = known ?? { file: event.file, loaded: 0, total: 0, done: false };
    let news = !known;
    if (event.status === 'progress') {
      const grew = (event.total ?? 0) > entry.total;
      news ||= grew;
      entry.loaded = event.loaded ?? entry.loaded;
      entry.total = event.total ?? entry.total;
      if (grew && onSizes) {
        files.set(event.file, entry);
        onSizes([...files.values()].map((f) => ({ path: f.file, size: f.total })));
      }
    } else if (event.status === 'done') {
      news = true;
      entry.done = true;
      entry.loaded = Math.max(entry.loaded, entry.total);
    } else if (event.status !== 'initiate' && event.status !== 'download') {
      return;
    }
    files.set(event.file, entry);
    if (!onProgress) return;
    const at = now();
    if (!news && at - reportedAt < everyMs) return;
    reportedAt = at;
    const list = [...files.values()];
    const loaded = list.reduce((s, f) => s + f.loaded, 0);
    const total = list.reduce((s, f) => s + f.total, 0);
    onProgress({ files: list.map((f) => ({ ...f })), loaded, total, fraction: total > 0 ? loaded / total : 0 });
  };
}
