// Headless Debian Chromium for the browser benchmarks, launched as the tests launch it; an origin
// served from memory for pages that need one (IndexedDB is not available on about:blank).
import { chromium, type Browser, type Page } from 'playwright-core';
import { assertChromium, chromiumArgs, chromiumPath } from '../../tests/support/chromium';

export const BENCH_ORIGIN = 'http://bench.localhost';

export async function launchChromium(options: { webgpu?: boolean } = {}): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs, ...(options.webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'])],
  });
}

/** A page on BENCH_ORIGIN with an empty document, and `script` (plain browser JS) run in it. */
export async function blankPage(browser: Browser, script: string): Promise<Page> {
  const context = await browser.newContext();
  await context.route(`${BENCH_ORIGIN}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
  const page = await context.newPage();
  await page.goto(`${BENCH_ORIGIN}/`);
  await page.addScriptTag({ content: script });
  return page;
}
