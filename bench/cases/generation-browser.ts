// Generation in Chromium: tokens/s and time to first token through the app's real generation worker
// (GeneratorClient) against a bench-only worker calling transformers.js generate directly, same tiny
// Llama, chat and 64 greedy tokens, timed from the page: the cost of the worker protocol, the
// streaming decode and the Stop yields where they really run.
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import type { ChatMessage } from '../../src/lib/core/generation';
import type { Device } from '../../src/lib/core/models';
import type { GenerateBenchParams, GenerateBenchResult } from '../browser/generate-page';
import type { BenchContext } from '../context';
import { figure, summarize, type Figure } from '../harness';
import { serveBenchPage } from '../support/bench-page';
import { launchChromium } from '../support/chromium';
import { serveModelFolder } from '../support/model-route';

const NEW_TOKENS = 64;
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer the question using the documents.' },
  { role: 'user', content: '<DOCUMENT>Refunds are processed within 5 business days of the request.</DOCUMENT>\nHow long does a refund take?' },
];

export async function run(ctx: BenchContext): Promise<Figure[]> {
  ctx.log('building the benchmark page');
  const { url, server } = await serveBenchPage(ctx.root, 'generate.html');
  // NOTE: WebGPU here is SwiftShader (CPU-emulated), so it is measured only in the full run, briefly.
  const runs: { device: Device; repeats: number }[] = [{ device: 'wasm', repeats: ctx.quick ? 3 : 20 }];
  if (!ctx.quick) runs.push({ device: 'webgpu', repeats: 6 });
  const figures: Figure[] = [];
  try {
    for (const { device, repeats } of runs) {
      ctx.log(`${device}: ${NEW_TOKENS} tokens, app worker and direct worker alternately, ${repeats} rounds`);
      const result = await inBrowser(ctx, url, { modelUrl: '', device, messages: MESSAGES, maxNewTokens: NEW_TOKENS, repeats });
      const label = device === 'wasm' ? 'Chromium WASM' : 'Chromium WebGPU';
      const note = device === 'wasm' ? result.device : `${result.device}: CPU-emulated, so not a GPU figure`;
      const rate = (ms: number[], first: number[], tokens: number) => summarize(ms.map((t, i) => ((tokens - 1) * 1000) / (t - first[i])));
      figures.push(
        figure(`${label}: app worker, time to first token`, 'ms', summarize(result.appFirstToken), {
          note: `${note}; ${result.appTokens} tokens (app), ${result.directTokens} (direct), ${result.appPieces} progress messages per reply`,
        }),
        figure(`${label}: direct worker, time to first token`, 'ms', summarize(result.directFirstToken), { note: 'measured inside the worker' }),
        figure(`${label}: app worker, decode rate`, 'tokens/s', rate(result.app, result.appFirstToken, result.appTokens)),
        figure(`${label}: direct worker, decode rate`, 'tokens/s', rate(result.direct, result.directFirstToken, result.directTokens)),
        figure(`${label}: app ÷ direct total time`, '×', summarize(result.app.map((t, i) => t / result.direct[i])), { target: { text: '≤ 1.05', atMost: 1.05 } }),
        figure(`${label}: app overhead per new token`, 'µs', summarize(result.app.map((t, i) => ((t - result.direct[i]) * 1000) / NEW_TOKENS)), {
          note: 'fixed cost per token; a real model takes tens of ms per token',
        }),
      );
    }
  } finally {
    await server.close();
  }
  return figures;
}

async function inBrowser(ctx: BenchContext, url: string, params: GenerateBenchParams): Promise<GenerateBenchResult> {
  let browser: Browser | null = null;
  try {
    browser = await launchChromium({ webgpu: params.device === 'webgpu' });
    const context = await browser.newContext();
    const modelUrl = await serveModelFolder(context, join(ctx.root, 'tests/models/tiny/llama'), url);
    const page = await context.newPage();
    page.on('pageerror', (error) => ctx.log(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'benchGenerate' in window);
    return await page.evaluate(
      (p) => (window as unknown as { benchGenerate: (p: GenerateBenchParams) => Promise<GenerateBenchResult> }).benchGenerate(p),
      { ...params, modelUrl },
    );
  } finally {
    await browser?.close();
  }
}
