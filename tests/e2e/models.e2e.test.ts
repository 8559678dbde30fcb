// The built app in Chromium, Models page: a decoder exported without its KV cache is refused clearly;
// a local folder kept in the browser survives a reload, loads from there and is deleted in the model
// manager; each card has its own device; "one at a time" releases the other language model and
// reloads it when it is used.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { formatBytes } from '../../src/lib/ui/format';
import { goTo, MODELS_DIR, pickModelFolder, useApp } from './support/app';

const app = useApp();

const LOAD_TIMEOUT = { timeout: 60_000 };

async function folderBytes(folder: string): Promise<number> {
  const dir = join(MODELS_DIR, folder);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

test('a decoder exported without its KV cache gets a clear error, and the card then loads a good model', async () => {
  const session = await app.open();
  const { page } = session;
  await goTo(page, 'Models');
  const card = await pickModelFolder(page, 'tuned', 'broken/no-kv-cache');
  await expect.poll(() => card.getByRole('alert').textContent(), LOAD_TIMEOUT).toMatch(/onnx\/model\.onnx of no-kv-cache .* has no KV-cache inputs .* exported without the cache/);
  expect(await card.getByTestId('loaded-tuned').count()).toBe(0);
  // The page stays usable: the same card loads the echo model and answers.
  await pickModelFolder(page, 'tuned', 'tiny/echo');
  await expect.poll(() => card.getByTestId('loaded-tuned').textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  expect(await card.getByRole('alert').count()).toBe(0);
  await card.getByLabel('Message').fill('Still usable after the error.');
  await card.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(() => card.getByTestId('generation-output').textContent(), LOAD_TIMEOUT).toBe('Still usable after the error.');
  expect(session.external).toEqual([]);
});

test('a local folder kept in the browser survives a reload, loads from there, and is deleted in the model manager', async () => {
  const session = await app.open();
  const { page } = session;
  await goTo(page, 'Models');
  const card = await pickModelFolder(page, 'base', 'tiny/echo', { keep: true });
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

test('each card runs on its own device: WASM when chosen, WebGPU when chosen, even on a software adapter', async () => {
  const session = await app.open({ webgpu: true });
  const { page } = session;
  // Chromium's only adapter here is SwiftShader: Auto stays on WASM, and the status bar says why.
  await expect.poll(() => page.getByTestId('backend').textContent()).toMatch(/^WASM · \d+ threads? — the only WebGPU adapter is a software one \(SwiftShader\)/);
  await goTo(page, 'Models');
  const base = await pickModelFolder(page, 'base', 'tiny/echo', { device: 'wasm' });
  await expect.poll(() => base.getByTestId('loaded-base').textContent(), LOAD_TIMEOUT).toContain('WASM, as chosen');
  expect(await base.getByTestId('chosen-base').textContent()).toBe('Device WASM, picked on this card; dtype fp32, picked on this card.');
  expect(await base.getByTestId('loaded-base').textContent()).not.toContain('WebGPU');
  const tuned = await pickModelFolder(page, 'tuned', 'tiny/echo', { device: 'webgpu' });
  await expect.poll(() => tuned.getByTestId('loaded-tuned').textContent(), LOAD_TIMEOUT).toContain('WebGPU: google swiftshader');
});

test('"one at a time" releases the other language model and reloads a released one when it is used', async () => {
  const session = await app.open();
  const { page } = session;
  await goTo(page, 'Settings');
  await page.getByLabel('One at a time').check();
  await goTo(page, 'Models');
  const base = await pickModelFolder(page, 'base', 'tiny/echo');
  await expect.poll(() => base.getByTestId('loaded-base').textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  const tuned = await pickModelFolder(page, 'tuned', 'tiny/llama');
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
