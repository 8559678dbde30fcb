// Embedding in Chromium, WASM and WebGPU (SwiftShader here): chunks/s through the app's real Web
// Worker (EmbedderClient) against a bench-only worker calling transformers.js directly, same model,
// texts and batches, timed from the page. The page is built by Vite from bench/browser/embed.html.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build, preview } from 'vite';
import type { BenchContext } from '../context';
import { figure, summarize, rate, type Figure } from '../harness';
import type { EmbedBenchParams, EmbedBenchResult } from '../browser/embed-page';
import { launchChromium } from '../support/chromium';
import { chunkTexts } from '../support/corpus';
import { dtypeOf } from '../support/models';

const OUT_DIR = '/tmp/bench-embed-dist';
const MODELS_PATH = '/bench-models/';

export async function run(ctx: BenchContext): Promise<Figure[]> {
  ctx.log('building the benchmark page');
  await build({
    root: ctx.root,
    logLevel: 'error',
    build: { outDir: OUT_DIR, emptyOutDir: true, rollupOptions: { input: join(ctx.root, 'bench/browser/embed.html') } },
  });
  const server = await preview({ root: ctx.root, logLevel: 'error', build: { outDir: OUT_DIR }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const name = basename(ctx.embedderFolder);
  const dtype = await dtypeOf(ctx.embedderFolder);
  const modelUrl = new URL(`${MODELS_PATH}${name}/`, url).href;
  // NOTE: WebGPU here is SwiftShader (CPU-emulated, ~1 chunk/s), so it gets a small batch, and none in --quick.
  const runs: EmbedBenchParams[] = [{ modelUrl, dtype, device: 'wasm', texts: chunkTexts(ctx.quick ? 16 : 128, 150), repeats: ctx.quick ? 1 : 5 }];
  if (!ctx.quick) runs.push({ modelUrl, dtype, device: 'webgpu', texts: chunkTexts(8, 150), repeats: 2 });
  const figures: Figure[] = [];
  try {
    for (const params of runs) {
      const count = params.texts.length;
      ctx.log(`${params.device}: ${count} chunks, app worker and direct worker alternately`);
      const result = await inBrowser(ctx, url, name, params);
      const label = params.device === 'wasm' ? 'Chromium WASM' : 'Chromium WebGPU';
      const note = params.device === 'wasm' ? result.device : `${result.device}: CPU-emulated, so not a GPU figure`;
      figures.push(
        figure(`${label}: app worker (EmbedderClient)`, 'chunks/s', rate(summarize(result.app), count), { note: `${note}; ${count} chunks of ~150 words` }),
        figure(`${label}: direct transformers.js worker`, 'chunks/s', rate(summarize(result.direct), count)),
        figure(`${label}: app ÷ direct time`, '×', summarize(result.app.map((t, i) => t / result.direct[i])), { target: { text: '≤ 1.10', atMost: 1.1 } }),
      );
    }
  } finally {
    await server.close();
  }
  return figures;
}

/** Runs the page's benchmark in a fresh browser; the model folder is served from disk under MODELS_PATH. */
async function inBrowser(ctx: BenchContext, url: string, name: string, params: EmbedBenchParams): Promise<EmbedBenchResult> {
  const browser = await launchChromium({ webgpu: params.device === 'webgpu' });
  try {
    const context = await browser.newContext();
    await context.route(`**${MODELS_PATH}**`, async (route) => {
      const path = decodeURIComponent(new URL(route.request().url()).pathname.slice(MODELS_PATH.length));
      const file = join(ctx.embedderFolder, path.slice(name.length + 1));
      const found = path.startsWith(`${name}/`) && !path.includes('..') && (await stat(file).catch(() => null))?.isFile();
      if (!found) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ status: 200, body: await readFile(file), contentType: 'application/octet-stream' });
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => ctx.log(`page error: ${error.message}`));
    await page.goto(new URL('bench/browser/embed.html', url).href);
    await page.waitForFunction(() => 'benchEmbed' in window);
    return await page.evaluate((p) => (window as unknown as { benchEmbed: (p: EmbedBenchParams) => Promise<EmbedBenchResult> }).benchEmbed(p), params);
  } finally {
    await browser.close();
  }
}
