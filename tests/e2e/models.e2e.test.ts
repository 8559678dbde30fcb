// The built app in Chromium, Models page: a decoder exported without its KV cache is refused clearly;
// a local folder kept in the browser survives a reload, loads from there and is deleted in the model
// manager; each card has its own device; "one at a time" releases the other language model and
// reloads it when it is used.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { formatBytes } from '../../src/lib/ui/format';
import { goTo, MODELS_DIR, openApp, serveBuiltApp, type AppSession } from './support/app';

let session: AppSession | null = null;
beforeAll(() => serveBuiltApp(), 240_000);
afterEach(async () => {
  await session?.close();
  session = null;
});
afterAll(async () => (await serveBuiltApp()).server.close());

const LOAD_TIMEOUT = { timeout: 60_000 };

/** Picks a model folder in a card as a user would; `keep` ticks "Keep this model in the browser". */
async function pickFolder(page: Page, role: 'embedder' | 'base' | 'tuned', folder: string, options: { keep?: boolean; device?: string } = {}) {
  const card = page.getByTestId(`loader-${role}`);
  await card.getByLabel('Local folder').check();
  await card.getByLabel('Model folder').setInputFiles(join(MODELS_DIR, folder));
  if (options.keep) await card.getByLabel('Keep this model in the browser').check();
  if (options.device) await card.getByLabel('Device').selectOption(options.device);
  await card.getByLabel('Dtype').selectOption('fp32');
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  return card;
}

async function folderBytes(folder: string): Promise<number> {
  const dir = join(MODELS_DIR, folder);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

test('a decoder exported without its KV cache gets a clear error, and the card then loads a good model', async () => {
  session = await openApp();
  const { page } = session;
  await goTo(page, 'Models');
  const card = await pickFolder(page, 'tuned', 'broken/no-kv-cache');
  await expect.poll(() => card.getByRole('alert').textContent(), LOAD_TIMEOUT).toMatch(/onnx\/model\.onnx of no-kv-cache .* has no KV-cache inputs .* exported without the cache/);
  expect(await card.getByTestId('loaded-tuned').count()).toBe(0);
  // The page stays usable: the same card loads the echo model and answers.
  await pickFolder(page, 'tuned', 'tiny/echo');
  await expect.poll(() => card.getByTestId('loaded-tuned').textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  expect(await card.getByRole('alert').count()).toBe(0);
  await card.getByLabel('Message').fill('Still usable after the error.');
  await card.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(() => card.getByTestId('generation-output').textContent(), LOAD_TIMEOUT).toBe('Still usable after the error.');
  expect(session.external).toEqual([]);
});

test('a local folder kept in the browser survives a reload, loads from there, and is deleted in the model manager', async () => {
  session = await openApp();
  const { page } = session;
  await goTo(page, 'Models');
  const card = await pickFolder(page, 'base', 'tiny/echo', { keep: true });
  await expect.poll(() => card.getByTestId('loaded-base').textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  await expect.poll(() => card.getByRole('status').first().textContent()).toContain('Kept in this browser');

  // 1. After a reload: listed in the manager with its size, remembered by the card, offered as a source.
  await page.reload();
  const manager = page.getByTestId('model-manager');
  const row = manager.getByTestId('kept-model').filter({ hasText: 'echo' });
  await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain(formatBytes(await folderBytes('tiny/echo')));
  expect(await row.textContent()).toContain('5 files');
  await expect.poll(() => card.getByTestId('last-base').textContent()).toContain('Last loaded: echo, saved in this browser');
  expect(await card.getByLabel('Saved in this browser').isChecked()).toBe(true);
  expect(await card.getByLabel('Saved model').locator('option').allTextContents()).toEqual([expect.stringContaining('echo')]);

  // 2. Loaded from the browser's storage: nothing picked again, and it answers.
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  await expect.poll(() => card.getByTestId('loaded-base').textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  await card.getByLabel('Message').fill('Served from the browser storage.');
  await card.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(() => card.getByTestId('generation-output').textContent(), LOAD_TIMEOUT).toBe('Served from the browser storage.');

  // 3. Deleted after a confirmation: gone from the manager and from the sources.
  await row.getByRole('button', { name: 'Delete echo' }).click();
  await row.getByRole('group', { name: 'Delete echo?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect.poll(() => manager.getByTestId('kept-model').filter({ hasText: 'echo' }).count()).toBe(0);
  await expect.poll(() => page.getByTestId('loader-tuned').getByLabel('Saved in this browser').count()).toBe(0);
  await expect.poll(() => card.textContent()).toContain('No model is kept in this browser any more');
  expect(session.external).toEqual([]);
});

test('each card runs on its own device: WASM when chosen, even where WebGPU is available', async () => {
  session = await openApp({ webgpu: true });
  const { page } = session;
  await expect.poll(() => page.getByTestId('backend').textContent()).toMatch(/WebGPU/);
  await goTo(page, 'Models');
  const base = await pickFolder(page, 'base', 'tiny/echo', { device: 'wasm' });
  await expect.poll(() => base.getByTestId('loaded-base').textContent(), LOAD_TIMEOUT).toContain('WASM, as chosen for this model');
  expect(await base.getByTestId('loaded-base').textContent()).not.toContain('WebGPU');
  const tuned = await pickFolder(page, 'tuned', 'tiny/echo', { device: 'auto' });
  await expect.poll(() => tuned.getByTestId('loaded-tuned').textContent(), LOAD_TIMEOUT).toContain('WebGPU');
});

test('"one at a time" releases the other language model and reloads a released one when it is used', async () => {
  session = await openApp();
  const { page } = session;
  await goTo(page, 'Settings');
  await page.getByLabel('One at a time').check();
  await goTo(page, 'Models');
  const base = await pickFolder(page, 'base', 'tiny/echo');
  await expect.poll(() => base.getByTestId('loaded-base').textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  const tuned = await pickFolder(page, 'tuned', 'tiny/llama');
  await expect.poll(() => tuned.getByTestId('loaded-tuned').textContent(), LOAD_TIMEOUT).toContain('Loaded llama');
  // Loading the fine-tuned model released the base model's worker.
  await expect.poll(() => base.getByTestId('released-base').textContent()).toContain('echo (local files) was released to save memory');
  expect(await base.getByTestId('loaded-base').count()).toBe(0);

  // Using the base model reloads it from the same files, and releases the fine-tuned one.
  await base.getByLabel('Message').fill('Reloaded when needed.');
  await base.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(() => base.getByTestId('generation-output').textContent(), LOAD_TIMEOUT).toBe('Reloaded when needed.');
  await expect.poll(() => base.getByTestId('loaded-base').textContent()).toContain('Loaded echo');
  await expect.poll(() => tuned.getByTestId('released-tuned').textContent()).toContain('was released to save memory');
  expect(session.external).toEqual([]);
});
