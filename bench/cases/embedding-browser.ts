// Embedding in Chromium, WASM and WebGPU (SwiftShader here): chunks/s through the path the app embeds on
// (its corpus worker: index, vectors stored in IndexedDB) against a bench-only worker calling
// transformers.js directly on the same chunk texts and batches, timed from the page. The page is built
// by Vite from bench/browser/embed.html.
import type { BenchContext } from '../context';
import { figure, summarize, rate, type Figure } from '../harness';
import type { EmbedBenchParams, EmbedBenchResult } from '../browser/embed-page';
import { serveBenchPage } from '../support/bench-page';
import { launchChromium } from '../support/chromium';
import { syntheticWiki } from '../../tests/support/synthetic-wiki';
import { serveModelFolder } from '../support/model-route';
import { dtypeOf } from '../support/models';

export async function run(ctx: BenchContext): Promise<Figure[]> {
  ctx.log('building the benchmark page');
  const { url, server } = await serveBenchPage(ctx.root, 'embed.html');
  const dtype = await dtypeOf(ctx.embedderFolder);
  // NOTE: WebGPU here is SwiftShader (CPU-emulated, ~1 chunk/s), so it gets a small batch, and none in --quick.
  // The model's URL is filled in per browser context, where the folder is served.
  const runs: EmbedBenchParams[] = [{ modelUrl: '', dtype, device: 'wasm', articles: syntheticWiki(ctx.quick ? 3 : 24, 950), repeats: ctx.quick ? 1 : 5 }];
  if (!ctx.quick) runs.push({ modelUrl: '', dtype, device: 'webgpu', articles: syntheticWiki(2, 950), repeats: 2 });
  const figures: Figure[] = [];
  try {
    for (const params of runs) {
      ctx.log(`${params.device}: ${params.articles.length} articles, corpus worker and direct worker alternately`);
      const result = await inBrowser(ctx, url, params);
      const count = result.chunks;
      const label = params.device === 'wasm' ? 'Chromium WASM' : 'Chromium WebGPU';
      const note = params.device === 'wasm' ? result.device : `${result.device}: CPU-emulated, so not a GPU figure`;
      figures.push(
        figure(`${label}: app (corpus worker: index, stored in IndexedDB)`, 'chunks/s', rate(summarize(result.app), count), { note: `${note}; ${count} chunks of ${params.articles.length} synthetic articles` }),
        figure(`${label}: direct transformers.js worker`, 'chunks/s', rate(summarize(result.direct), count)),
        figure(`${label}: app ÷ direct time`, '×', summarize(result.app.map((t, i) => t / result.direct[i])), { target: { text: '≤ 1.10', atMost: 1.1 } }),
      );
    }
  } finally {
    await server.close();
  }
  return figures;
}

/** Runs the page's benchmark in a fresh browser, with the model folder served from disk. */
async function inBrowser(ctx: BenchContext, url: string, params: EmbedBenchParams): Promise<EmbedBenchResult> {
  const browser = await launchChromium({ webgpu: params.device === 'webgpu' });
  try {
    const context = await browser.newContext();
    const modelUrl = await serveModelFolder(context, ctx.embedderFolder, url);
    const page = await context.newPage();
    page.on('pageerror', (error) => ctx.log(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'benchEmbed' in window);
    return await page.evaluate((p) => (window as unknown as { benchEmbed: (p: EmbedBenchParams) => Promise<EmbedBenchResult> }).benchEmbed(p), { ...params, modelUrl });
  } finally {
    await browser.close();
  }
}
