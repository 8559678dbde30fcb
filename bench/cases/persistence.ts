// Persistence: 100k × 384 vectors to IndexedDB and back in headless Chromium, written the way the
// app's CorpusRepo writes them, with 32 vectors per record (the app's INDEX_BATCH) and with 1024.
// (fake-indexeddb in Node says nothing about a browser, so there is no Node variant.)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_BATCH } from '../../src/lib/workers/corpus/indexing';
import type { BenchContext } from '../context';
import { figure, summarize, type Figure } from '../harness';
import { blankPage, launchChromium } from '../support/chromium';

const DIM = 384;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 10_000 : 100_000;
  const repeats = ctx.quick ? 1 : 3;
  const label = `${n / 1000}k × ${DIM}`;
  const script = await readFile(join(ctx.root, 'bench/browser/idb-roundtrip.js'), 'utf8');
  const browser = await launchChromium();
  const figures: Figure[] = [];
  try {
    for (const batch of [INDEX_BATCH, 1024]) {
      ctx.log(`${label}, ${batch} per record`);
      const page = await blankPage(browser, script);
      const { writes, reads } = await page.evaluate(
        (args) => (window as unknown as { benchIdbRoundtrip: (a: typeof args) => Promise<{ writes: number[]; reads: number[] }> }).benchIdbRoundtrip(args),
        { n, dim: DIM, batch, repeats },
      );
      await page.context().close();
      const note = batch === INDEX_BATCH ? 'the app’s batch (INDEX_BATCH), one transaction per record' : 'one transaction per record';
      figures.push(
        figure(`IndexedDB write, ${label}, ${batch}/record`, 'ms', summarize(writes), { note }),
        figure(`IndexedDB read + concat, ${label}, ${batch}/record`, 'ms', summarize(reads)),
        figure(`IndexedDB round trip, ${label}, ${batch}/record`, 'ms', summarize(writes.map((w, i) => w + reads[i])), {
          target: n === 100_000 ? { text: '< 2 s at 100k', atMost: 2000 } : undefined,
        }),
      );
    }
  } finally {
    await browser.close();
  }
  return figures;
}
