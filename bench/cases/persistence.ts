// Persistence: 100k × 384 vectors to IndexedDB and back in headless Chromium through the app's own
// CorpusRepo: written as indexing writes them (one record per batch of INDEX_BATCH), read back as a
// reload does, compacted as finished indexing does (COMPACT_ROWS per record) and read again; and the
// bulk case, records of COMPACT_ROWS written at once. (fake-indexeddb in Node says nothing about a
// browser, so there is no Node variant.)
import type { Browser } from 'playwright-core';
import { COMPACT_ROWS, INDEX_BATCH } from '../../src/lib/config/tunables';
import type { PersistBenchParams, PersistBenchResult } from '../browser/persist-page';
import type { BenchContext } from '../context';
import { figure, summarize, type Figure } from '../harness';
import { serveBenchPage } from '../support/bench-page';
import { launchChromium } from '../support/chromium';

const DIM = 384;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 10_000 : 100_000;
  const params: PersistBenchParams = { n, dim: DIM, batch: INDEX_BATCH, repeats: ctx.quick ? 1 : 3 };
  ctx.log('building the benchmark page');
  const { url, server } = await serveBenchPage(ctx.root, 'persist.html');
  let browser: Browser | null = null;
  let result: PersistBenchResult;
  try {
    browser = await launchChromium();
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => ctx.log(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'benchPersist' in window);
    ctx.log(`${n / 1000}k × ${DIM}: ${INDEX_BATCH} per record, compaction, ${COMPACT_ROWS} per record`);
    result = await page.evaluate(
      (p) => (window as unknown as { benchPersist: (p: PersistBenchParams) => Promise<PersistBenchResult> }).benchPersist(p),
      params,
    );
  } finally {
    await browser?.close();
    await server.close();
  }
  const label = `${n / 1000}k × ${DIM}`;
  const target = n === 100_000 ? { text: '< 2 s at 100k', atMost: 2000 } : undefined;
  const sum = (a: number[], b: number[]) => a.map((x, i) => x + b[i]);
  return [
    figure(`IndexedDB write, ${label}, ${INDEX_BATCH}/record`, 'ms', summarize(result.batchWrite), {
      note: 'as indexing writes (putVectors per batch, one transaction each); in the app spread over the embedding',
    }),
    figure(`IndexedDB read + concat, ${label}, ${INDEX_BATCH}/record`, 'ms', summarize(result.batchRead), { note: 'loadVectors before compaction' }),
    figure(`IndexedDB round trip, ${label}, ${INDEX_BATCH}/record`, 'ms', summarize(sum(result.batchWrite, result.batchRead)), { target }),
    figure(`compaction after indexing (compactVectors), ${label}`, 'ms', summarize(result.compact), {
      note: `${INDEX_BATCH}/record → ${COMPACT_ROWS}/record (${result.compactedRecords} records), once when indexing finishes`,
    }),
    figure(`IndexedDB read + concat, ${label}, after compaction`, 'ms', summarize(result.compactedRead), { note: 'loadVectors: what a reload waits for' }),
    figure(`IndexedDB write, ${label}, ${COMPACT_ROWS}/record`, 'ms', summarize(result.bulkWrite), { note: 'putVectors per record, one transaction each' }),
    figure(`IndexedDB read + concat, ${label}, ${COMPACT_ROWS}/record`, 'ms', summarize(result.bulkRead)),
    figure(`IndexedDB round trip, ${label}, ${COMPACT_ROWS}/record`, 'ms', summarize(sum(result.bulkWrite, result.bulkRead)), { target }),
  ];
}
