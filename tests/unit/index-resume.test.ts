// A resumed indexing run reports whole-corpus figures: the Index panel's headline and bar start from the vectors
// already stored ("Embedded 1065 of 2837"), not from 0 of the chunks left, and end at every chunk.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { indexFigures } from '../../src/lib/core/corpus/index-progress';
import type { IndexProgress } from '../../src/lib/core/corpus/reports';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';

const WIKI = resolve(import.meta.dirname, '../../public/sample-wiki');
const EMBEDDER = resolve(import.meta.dirname, '../models/tiny/embedder');

let client: CorpusClient | null = null;
afterEach(() => client?.terminate());

test('resuming: every report counts the whole corpus, the chunks embedded before included', { timeout: 60_000 }, async () => {
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`index-resume-${Math.random()}`)));
  client = new CorpusClient(endpoint, close);
  await client.call('open', undefined);
  const index = JSON.parse(await readFile(resolve(WIKI, 'index.json'), 'utf8')) as { files: string[] };
  const files = await Promise.all(index.files.map(async (path) => ({ path, blob: new Blob([await readFile(resolve(WIKI, path))]) })));
  await client.call('ingest', { files });
  await client.call('loadEmbedder', { source: await readModelFolder(EMBEDDER), options: { device: 'wasm', dtype: 'fp32' } });

  const controller = new AbortController();
  await expect(client.call('index', undefined, { signal: controller.signal, onProgress: (p) => p.done >= 20 && controller.abort() })).rejects.toMatchObject({ name: 'CancelledError' });
  const partial = await client.call('summary', undefined);
  expect(partial.embeddedCount).toBeGreaterThan(0);

  const reports: IndexProgress[] = [];
  const finished = await client.call('index', undefined, { onProgress: (p) => reports.push(p) });
  expect(reports[0]).toMatchObject({ done: 0, total: partial.chunkCount - partial.embeddedCount, embedded: partial.embeddedCount, chunkCount: partial.chunkCount });
  for (const p of reports) expect(p.embedded).toBe(partial.embeddedCount + p.done);
  expect(reports.at(-1)!.embedded).toBe(finished.chunkCount);
  // What the panel shows mid-run, from the summary read before the run: the run's figures, not the stale summary.
  const mid = indexFigures(partial, reports[1] ?? reports[0]);
  expect(mid.headline).toBe(`Embedded ${(reports[1] ?? reports[0]).embedded} of ${partial.chunkCount} chunks`);
  expect(mid.run).toMatch(/^this run: \d+ of \d+/);
  expect(indexFigures(finished, null).headline).toBe(`Embedded ${finished.chunkCount} of ${finished.chunkCount} chunks`);
});
