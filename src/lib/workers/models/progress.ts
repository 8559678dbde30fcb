// Turns transformers.js's per-file progress events into one LoadProgress report, and lets the loader
// watch the ONNX files' announced sizes (a Hub download is refused as soon as its size is known).
import type { LoadProgress } from '../../core/model-status';

export type { LoadProgress };

export type FileSizes = { path: string; size: number }[];

export function progressTracker(onProgress?: (p: LoadProgress) => void, onSizes?: (files: FileSizes) => void): (event: unknown) => void {
  const files = new Map<string, { file: string; loaded: number; total: number; done: boolean }>();
  return (raw) => {
    const event = raw as { status?: string; file?: string; loaded?: number; total?: number };
    if (!event.file) return;
    const entry = files.get(event.file) ?? { file: event.file, loaded: 0, total: 0, done: false };
    if (event.status === 'progress') {
      const grew = (event.total ?? 0) > entry.total;
      entry.loaded = event.loaded ?? entry.loaded;
      entry.total = event.total ?? entry.total;
      if (grew && onSizes) {
        files.set(event.file, entry);
        onSizes([...files.values()].map((f) => ({ path: f.file, size: f.total })));
      }
    } else if (event.status === 'done') {
      entry.done = true;
      entry.loaded = Math.max(entry.loaded, entry.total);
    } else if (event.status !== 'initiate' && event.status !== 'download') {
      return;
    }
    files.set(event.file, entry);
    if (!onProgress) return;
    const list = [...files.values()];
    const loaded = list.reduce((s, f) => s + f.loaded, 0);
    const total = list.reduce((s, f) => s + f.total, 0);
    onProgress({ files: list.map((f) => ({ ...f })), loaded, total, fraction: total > 0 ? loaded / total : 0 });
  };
}
