// Cross-origin isolation, where the app is served: `vite preview` sends COOP/COEP, so the page has
// SharedArrayBuffer and ONNX Runtime Web runs one thread per core in the corpus and language-model workers (the
// status bar and the loaded models say how many, and its helper workers exist); a static host that sends no headers gets them from the app's service worker after one reload; the
// Settings override applies after a reload.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { ISOLATION_HEADERS } from '../../scripts/vite/headers';
import { chromiumArgs, chromiumPath } from '../support/chromium';
import { goTo, loadModelFolder, loadSampleWiki, serveBuiltApp, useApp } from './support/app';

const app = useApp();
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

/** The threads Auto should give on this machine (one per core, at most 8). */
const autoThreads = (page: Page) => page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));

test('the served app is cross-origin isolated and runs ONNX Runtime on one thread per core', async () => {
  const { page } = await app.open();
  const response = await page.reload();
  expect(response?.headers()['cross-origin-opener-policy']).toBe(ISOLATION_HEADERS['Cross-Origin-Opener-Policy']);
  expect(response?.headers()['cross-origin-embedder-policy']).toBe(ISOLATION_HEADERS['Cross-Origin-Embedder-Policy']);
  expect(await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);
  const threads = await autoThreads(page);
  expect(threads).toBeGreaterThan(1);
  await expect.poll(() => page.getByTestId('backend').textContent()).toMatch(new RegExp(`^WASM · ${threads} threads`));

  // The embedder loads on those threads (its worker says so) and indexes the sample wiki.
  await loadSampleWiki(page);
  await goTo(page, 'Models');
  expect(await loadModelFolder(page, 'embedder', 'tiny/embedder')).toContain(`· ${threads} threads`);
  await goTo(page, 'Corpus');
  await expect.poll(async () => /Embedded (\d+) of \1\b/.test((await page.getByTestId('embedded-count').textContent()) ?? ''), { timeout: 90_000 }).toBe(true);

  // A language model's worker too: loaded on those threads, and it answers.
  await goTo(page, 'Models');
  expect(await loadModelFolder(page, 'base', 'tiny/echo')).toContain(`· ${threads} threads`);
  const base = page.getByTestId('loader-base');
  await base.getByLabel('Message').fill('Threads answer too.');
  await base.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(() => base.getByTestId('generation-output').textContent(), { timeout: 60_000 }).toBe('Threads answer too.');
  // ONNX Runtime started its thread pool in both model workers: threads - 1 helper workers each (blob: URLs).
  expect(page.workers().filter((w) => w.url().startsWith('blob:')).length).toBe(2 * (threads - 1));

  // 1 thread by hand, after a reload.
  await goTo(page, 'Settings');
  await page.getByLabel('CPU threads for WASM').selectOption('1');
  await page.reload();
  await expect.poll(() => page.getByTestId('backend').textContent()).toMatch(/^WASM · 1 thread\b/);
});

/** The build on a plain static server: no COOP/COEP, no CSP header. */
async function serveWithoutHeaders(dir: string): Promise<string> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(dir, path.endsWith('/') ? `${path}index.html` : path));
      response.writeHead(200, { 'Content-Type': types[extname(path)] ?? (path.endsWith('/') ? 'text/html' : 'application/octet-stream') });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  return `http://127.0.0.1:${address.port}/`;
}

test('on a static host that sends no headers, the service worker isolates the page after one reload', async () => {
  const { server } = await serveBuiltApp();
  const url = await serveWithoutHeaders(server.config.build.outDir);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const first = await page.goto(url);
    expect(first?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    const isolated = () => page.evaluate(() => crossOriginIsolated).catch(() => false);
    await expect.poll(isolated, { timeout: 30_000 }).toBe(true);
    const threads = await autoThreads(page);
    await expect.poll(() => page.getByTestId('backend').textContent()).toMatch(new RegExp(`^WASM · ${threads} threads`));
    // Workers and wasm still load through the worker: the embedder runs threaded there too.
    await goTo(page, 'Models');
    expect(await loadModelFolder(page, 'embedder', 'tiny/embedder')).toContain(`· ${threads} threads`);
  } finally {
    await browser.close();
  }
});
