// Fine-tuning in the tab, as a learner does it offline: the sample wiki and its questions, a RAFT dataset, then the
// Fine-tune page trains the bundled demo base model with LoRA in a worker (jax-js on WASM) for a fraction of an
// epoch: the progress bar counts steps with their loss and time left, the loss curve is drawn, a reload keeps the
// finished model, and "Use in the arena" loads it as the fine-tuned model. No request leaves the app.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { goTo, loadSampleWikiAndQuestions, useApp } from './support/app';

const BASE = resolve(import.meta.dirname, '../../public/models/demo/base/onnx/model.onnx');
const app = useApp();
beforeAll(() => {
  if (!existsSync(BASE)) throw new Error(`fine-tune e2e: the demo base model is missing: ${BASE} (git checkout public/models/demo, or recipes/demo/train_demo_models.py)`);
});

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent().then((t) => t ?? '');

test('the Fine-tune page trains the demo base on the dataset, keeps the result across a reload, and the arena uses it', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWikiAndQuestions(page);
  await goTo(page, 'Dataset');
  await page.getByRole('button', { name: 'Build dataset' }).click();
  await expect.poll(() => page.getByTestId('examples-table').locator('[role="row"].body').count(), { timeout: 60_000 }).toBeGreaterThan(5);

  // 1. A short run: 0.2 epoch of 12 steps is 3 steps of 8 examples.
  await goTo(page, 'Fine-tune');
  await page.getByLabel('Epochs').fill('0.2');
  await page.getByRole('button', { name: 'Start fine-tuning' }).click();
  const figures = () => text(page, 'train-progress');
  await expect.poll(figures, { timeout: 120_000 }).toMatch(/Step [1-3] of 3 · loss \d+\.\d{4} · \d+ tokens\/s · .* left/);
  const result = page.getByTestId('train-result');
  const alerts = () => page.getByRole('alert').allTextContents();
  await expect.poll(async () => ((await alerts()).length ? `failed: ${(await alerts()).join(' | ')}` : await result.count()), { timeout: 400_000 }).toBe(1);
  expect((await result.textContent())?.replace(/\s+/g, ' ')).toMatch(/3 steps on 94 examples in .* \(wasm\); loss \d\.\d{3} → \d\.\d{3}/);
  expect(await page.getByRole('img', { name: 'Training loss' }).count()).toBe(1);

  // 2. A reload keeps the finished model (IndexedDB).
  await page.reload();
  await page.getByTestId('train-result').waitFor({ timeout: 30_000 });

  // 3. Into the arena as the fine-tuned model, which answers a question.
  await page.getByRole('button', { name: 'Use in the arena' }).click();
  await page.waitForURL(/#\/arena/, { timeout: 60_000 });
  await goTo(page, 'Models');
  await expect.poll(() => text(page, 'loaded-tuned'), { timeout: 60_000 }).toContain('demo-base-lora');
  expect(session.external).toEqual([]);
}, 600_000);
