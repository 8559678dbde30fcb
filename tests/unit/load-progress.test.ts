// The worker's load-progress reports: every chunk transformers.js reads must not become a message to the
// page, yet a file's start, its size and its end always reach it, and the last report says 100 %.
import { describe, expect, it } from 'vitest';
import { progressTracker, type LoadProgress } from '../../src/lib/workers/models/progress';

function streamed(chunks: number, msPerChunk: number, everyMs?: number) {
  let clock = 0;
  const reports: LoadProgress[] = [];
  const sizes: number[] = [];
  const track = progressTracker((p) => reports.push(p), (files) => sizes.push(files[0].size), { everyMs, now: () => clock });
  const total = chunks * 65_536;
  track({ status: 'initiate', file: 'onnx/model.onnx' });
  track({ status: 'download', file: 'onnx/model.onnx' });
  for (let i = 1; i <= chunks; i++) {
    clock += msPerChunk;
    track({ status: 'progress', file: 'onnx/model.onnx', loaded: i * 65_536, total });
  }
  track({ status: 'done', file: 'onnx/model.onnx' });
  return { reports, sizes, total };
}

describe('load progress reports', () => {
  it('thins a 2,000-chunk download read in 2 s to about one report per 100 ms, the size and the end included', () => {
    const { reports, sizes, total } = streamed(2000, 1, 100);
    expect(reports.length).toBeGreaterThan(15);
    expect(reports.length).toBeLessThan(30);
    expect(sizes).toEqual([total]);
    const last = reports.at(-1)!;
    expect(last.files[0]).toMatchObject({ done: true, loaded: total, total });
    expect(last.fraction).toBe(1);
    // The first report with a size says so at once, so a too-large Hub download can be refused early.
    expect(reports.find((r) => r.total > 0)?.total).toBe(total);
  });

  it('reports every chunk when chunks arrive slower than the interval', () => {
    const { reports } = streamed(20, 150, 100);
    // initiate, 20 chunks, done (the download event follows initiate within the interval).
    expect(reports.length).toBe(22);
  });

  it('reports every new file at once, however close together they start', () => {
    const reports: LoadProgress[] = [];
    const track = progressTracker((p) => reports.push(p), undefined, { everyMs: 100, now: () => 0 });
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) track({ status: 'initiate', file });
    expect(reports.map((r) => r.files.length)).toEqual([1, 2, 3]);
  });
});
