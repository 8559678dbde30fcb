// Builds the app once, serves the build with `vite preview` on loopback, and opens it in Debian's
// Chromium through playwright-core, recording every request that leaves the app's origin.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../support/chromium';
import { syntheticWiki } from '../../support/synthetic-wiki';

const ROOT = resolve(import.meta.dirname, '../../..');
export const MODELS_DIR = join(ROOT, 'tests/models');

let served: Promise<{ url: string; server: PreviewServer }> | null = null;

/** The built app's URL; the build happens once per test process. */
export function serveBuiltApp(): Promise<{ url: string; server: PreviewServer }> {
  served ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'raft-e2e-'));
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a URL');
    return { url, server };
  })();
  return served;
}

export interface AppSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  url: string;
  /** Requests to any other origin: each was blocked, and each is a test failure where none is expected. */
  external: string[];
  /** Every request the page and its workers made (proof the interception sees worker traffic). */
  requests: string[];
  close(): Promise<void>;
}

export async function openApp(options: { webgpu?: boolean } = {}): Promise<AppSession> {
  const { url } = await serveBuiltApp();
  const origin = new URL(url).origin;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs, ...(options.webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'])],
  });
  const context = await browser.newContext();
  const external: string[] = [];
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    requests.push(target);
    if (target.startsWith('data:') || target.startsWith('blob:') || new URL(target).origin === origin) return route.continue();
    external.push(target);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => external.push(ws.url()));
  await page.goto(url);
  return { browser, context, page, url, external, requests, close: () => browser.close() };
}

/** Opens a stage through the main navigation (pages may link to stages too). */
export async function goTo(page: Page, stage: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Stages' }).getByRole('link', { name: stage, exact: true }).click();
}

/**
 * A test file's app: the build is served before its tests, each test's browser is closed after it, and
 * the server is stopped at the end. `open` starts a browser on the app (one per test).
 */
export function useApp(): { open(options?: { webgpu?: boolean }): Promise<AppSession> } {
  const sessions: AppSession[] = [];
  beforeAll(() => serveBuiltApp(), 240_000);
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
  });
  afterAll(async () => (await serveBuiltApp()).server.close());
  return {
    async open(options = {}) {
      const session = await openApp(options);
      sessions.push(session);
      return session;
    },
  };
}

/** Corpus → "Load the sample wiki", until the ingest report says its 25 articles were added. */
export async function loadSampleWiki(page: Page): Promise<void> {
  await goTo(page, 'Corpus');
  await page.getByRole('button', { name: 'Load the sample wiki' }).click();
  await expect.poll(() => page.getByTestId('ingest-report').textContent(), { timeout: 30_000 }).toMatch(/Added 25/);
}

/** The sample wiki, then Questions → "Load the sample questions", until all 200 pairs are tied to a chunk. */
export async function loadSampleWikiAndQuestions(page: Page): Promise<void> {
  await loadSampleWiki(page);
  await goTo(page, 'Questions');
  await page.getByRole('button', { name: 'Load the sample questions' }).click();
  await expect.poll(() => page.getByTestId('pair-counts').textContent(), { timeout: 30_000 }).toMatch(/^200 pairs · 200 ok/);
}

/**
 * Corpus → "Add markdown files" with `count` synthetic articles (about 6 chunks each), until the ingest report
 * says they were added: enough chunks that indexing them with the tiny embedder lasts seconds, so a test can act
 * (cancel, clear in another tab) while it runs; the sample wiki alone indexes in about a second.
 */
export async function addSyntheticArticles(page: Page, count: number): Promise<void> {
  await goTo(page, 'Corpus');
  const files = syntheticWiki(count).map((f) => ({ name: f.path.replace('/', '-'), mimeType: 'text/markdown', buffer: Buffer.from(f.text) }));
  await page.getByLabel('Add markdown files').setInputFiles(files);
  await expect.poll(() => page.getByTestId('ingest-report').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`Added ${count}\\b`));
}

export type CardRole = 'embedder' | 'base' | 'tuned';

export interface FolderOptions {
  /** Tick "Keep this model in the browser". */
  keep?: boolean;
  device?: 'auto' | 'webgpu' | 'wasm';
  /** Default fp32: the tiny models ship fp32 only. */
  dtype?: string;
}

/**
 * On the Models page, picks a local model folder in a loader card as a user would and presses Load;
 * `folder` is absolute or relative to tests/models. Returns the card.
 */
export async function pickModelFolder(page: Page, role: CardRole, folder: string, options: FolderOptions = {}) {
  const card = page.getByTestId(`loader-${role}`);
  await card.getByLabel('Local folder').check();
  await card.getByLabel('Model folder').setInputFiles(resolve(MODELS_DIR, folder));
  if (options.keep) await card.getByLabel('Keep this model in the browser').check();
  if (options.device) await card.getByLabel('Device').selectOption(options.device);
  await card.getByLabel('Dtype').selectOption(options.dtype ?? 'fp32');
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  return card;
}

/** `pickModelFolder`, then waits until the card says what it loaded; returns that line. */
export async function loadModelFolder(page: Page, role: CardRole, folder: string, options: FolderOptions = {}): Promise<string> {
  const card = await pickModelFolder(page, role, folder, options);
  const loaded = card.getByTestId(`loaded-${role}`);
  await expect.poll(() => loaded.textContent(), { timeout: 90_000 }).toContain('Loaded');
  return (await loaded.textContent()) ?? '';
}
