// The Questions stage in the built app: import a question file against the sample wiki, edit a pair
// and keep the edit across a reload; generate questions with the tiny language model and see the
// plumbing (progress, preview) and the report of unusable output.
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { goTo, loadModelFolder, loadSampleWiki, useApp } from './support/app';

const QUESTIONS = resolve(import.meta.dirname, '../../public/sample-wiki/questions.jsonl');

const app = useApp();

test('import resolves every row to a chunk; an edit survives a reload; re-import adds nothing', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWiki(page);
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(QUESTIONS);
  // 200 pairs, all tied to a chunk; the list shows them 50 at a time.
  await expect.poll(() => page.getByTestId('pair-counts').textContent(), { timeout: 30_000 }).toMatch(/200 pairs · 200 ok · 0 unresolved · 0 orphaned/);
  expect(await page.locator('[data-testid="pair"][data-status="ok"]').count()).toBe(50);
  expect(await page.getByTestId('import-unresolved').count()).toBe(0);

  const first = page.getByTestId('pair').first();
  const question = (await first.locator('button', { hasText: 'Edit' }).getAttribute('aria-label'))!.replace(/^Edit: /, '');
  await first.getByRole('button', { name: /^Edit:/ }).click();
  const dialog = page.getByTestId('pair-dialog');
  await dialog.getByLabel('Answer').fill('An answer edited by hand');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByTestId('pair-list').textContent()).toContain('An answer edited by hand');

  await page.reload();
  await goTo(page, 'Questions');
  await expect.poll(() => page.getByTestId('pair-list').textContent(), { timeout: 30_000 }).toContain('An answer edited by hand');
  expect(await page.getByTestId('pair-list').textContent()).toContain(question);

  await page.getByLabel('Import questions').setInputFiles(QUESTIONS);
  await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 30_000 }).toMatch(/200/);
  expect(await page.getByTestId('pair-counts').textContent()).toMatch(/200 pairs · 200 ok/);
  expect(session.external).toEqual([]);
});

test('synthetic generation with the tiny model runs over two chunks and reports output that is not JSON', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWiki(page);
  await goTo(page, 'Models');
  await loadModelFolder(page, 'base', 'tiny/llama');

  await goTo(page, 'Questions');
  const panel = page.getByTestId('question-generation');
  await panel.getByLabel('Chosen chunks').check();
  const find = panel.getByRole('combobox', { name: 'Find chunks' });
  await find.fill('refund');
  await expect.poll(() => panel.getByRole('option').count(), { timeout: 30_000 }).toBeGreaterThan(1);
  await panel.getByRole('option').nth(0).click();
  await panel.getByRole('option').nth(1).click();
  await expect.poll(() => panel.getByTestId('picked-chunks').locator('li').count()).toBe(2);
  await panel.getByLabel('Pairs per chunk').fill('1');
  await panel.getByRole('button', { name: 'Generate questions' }).click();

  const progress = panel.getByTestId('generation-progress');
  await expect.poll(() => progress.textContent(), { timeout: 120_000 }).toMatch(/2 of 2/);
  // "2 of 2" shows as the second chunk starts, with its preview still empty: wait for its text.
  await expect.poll(() => panel.getByTestId('generation-preview').textContent(), { timeout: 60_000 }).not.toBe('');
  // A random tiny model writes noise: both chunks' outputs are reported as unusable, with the reason.
  await expect.poll(() => panel.getByTestId('generation-rejected').locator('li').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  expect(await panel.getByTestId('generation-rejected').textContent()).toMatch(/no JSON found in the model output/);
  expect(session.external).toEqual([]);
});
