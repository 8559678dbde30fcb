// The RAFT effect as a newcomer sees it offline: the sample wiki and its questions, "Load the demo models"
// from the arena's own notice (the tiny sft and RAFT models shipped in public/models/demo, trained on the
// sample wiki by recipes/demo/train_demo_models.py), then a test question with the arena's defaults
// (lexical retrieval, k = 5, greedy): the RAFT model quotes the oracle and answers, the sft model is led
// astray. The question is one of the six where the published run (recipes/demo/results/forced-k5, oracle forced
// among k = 5) has the RAFT model citing the oracle and the sft model not.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { DEMO_FOLDERS } from '../../src/lib/config/demo-models';
import { goTo, loadSampleWikiAndQuestions, useApp } from './support/app';

const DEMO = join(resolve(import.meta.dirname, '../..'), 'public/models/demo');
/** A test question of the sample wiki (questions.jsonl, split test). */
const QUESTION = 'Can an Owner still sign in with a password when SSO is required?';

/** The demo models the arena loads: without them there is nothing to compare, so the test fails and names them. */
function demoModelsPresent(): void {
  for (const folder of Object.values(DEMO_FOLDERS)) {
    const onnx = join(DEMO, folder, 'onnx/model_quantized.onnx');
    if (!existsSync(onnx)) {
      throw new Error(`arena demo e2e: ${onnx} is missing. The demo models are committed in public/models/demo; restore them (git checkout public/models/demo) or train them again with recipes/demo/train_demo_models.py.`);
    }
  }
}

const app = useApp();
beforeAll(demoModelsPresent);

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent().then((t) => t ?? '');

test('"Load the demo models" in the arena: the RAFT model cites the oracle where the sft model is led astray', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWikiAndQuestions(page);

  await goTo(page, 'Arena');
  await page.getByTestId('arena-no-models').waitFor();
  await page.getByRole('button', { name: 'Load the demo models' }).first().click();
  // Once both are loaded the arena's notice (and its button) gives way to the two answer columns.
  const notices = () => page.locator('[data-testid="arena-no-models"], [data-testid="arena-one-model"]').count();
  const alerts = () => page.getByRole('alert').allTextContents();
  await expect.poll(async () => ((await alerts()).length ? `failed: ${(await alerts()).join(' | ')}` : await notices()), { timeout: 60_000 }).toBe(0);

  await page.getByLabel('Or pick a test question').selectOption({ label: QUESTION });
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect.poll(() => text(page, 'figures-tuned'), { timeout: 120_000 }).toMatch(/Stopped by/);
  await expect.poll(() => text(page, 'figures-base'), { timeout: 120_000 }).toMatch(/Stopped by/);
  const answers = `sft: ${JSON.stringify(await text(page, 'answer-text-base'))}\nraft: ${JSON.stringify(await text(page, 'answer-text-tuned'))}`;
  expect(await text(page, 'verdict-tuned'), answers).toContain('Verdict: cited the oracle');
  expect((await text(page, 'final-tuned')).trim().length, answers).toBeGreaterThan(0);
  expect(await text(page, 'verdict-base'), answers).not.toContain('cited the oracle');
  await goTo(page, 'Models');
  expect(await text(page, 'demo-note-base')).toContain('Tiny models trained on the sample wiki; they know nothing else.');
  expect(await text(page, 'loaded-tuned')).toContain('models/demo/raft');
  expect(session.external).toEqual([]);
}, 300_000);
