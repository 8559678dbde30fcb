// Remove an article, then add the same file back with "Add markdown files" (now at the top level, not in its
// folder): the Remove confirmation counted the questions it orphans; one is tied by hand, the rest by themselves.
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { goTo, loadSampleWiki, useApp } from './support/app';

const WIKI = resolve(import.meta.dirname, '../../public/sample-wiki');

const app = useApp();

test('remove an article → its questions orphaned, as the confirmation said → one tied by hand → add the file back → the rest tied again', async () => {
  const { page } = await app.open();
  await loadSampleWiki(page);
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(resolve(WIKI, 'questions.jsonl'));
  const counts = page.getByTestId('pair-counts');
  await expect.poll(() => counts.textContent(), { timeout: 30_000 }).toMatch(/200 pairs · 200 ok · 0 unresolved · 0 orphaned/);

  // 1. Remove billing/refund-policy.md: the confirmation says how many questions it orphans.
  await goTo(page, 'Corpus');
  const article = page.locator('[data-testid="article"][data-path="billing/refund-policy.md"]');
  await article.getByRole('button', { name: /^Remove / }).click();
  const confirm = article.getByTestId('remove-confirm');
  await expect.poll(() => confirm.textContent(), { timeout: 15_000 }).toMatch(/\d+ questions? tied to it will be orphaned/);
  const orphaned = Number((await confirm.textContent())!.match(/(\d+) questions? tied/)![1]);
  expect(orphaned).toBeGreaterThan(0);
  await article.getByRole('button', { name: /^Confirm removing/ }).click();
  await expect.poll(() => article.count(), { timeout: 15_000 }).toBe(0);

  await goTo(page, 'Questions');
  await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toContain(`${200 - orphaned} ok · 0 unresolved · ${orphaned} orphaned`);

  // 2. One orphan tied by hand: "Pick chunk", search, pick a chunk of another article, save.
  await page.getByLabel('Status').selectOption('orphaned');
  await page.getByTestId('pair').first().getByRole('button', { name: /^Pick chunk:/ }).click();
  const dialog = page.getByTestId('pair-dialog');
  await dialog.getByRole('combobox', { name: 'Oracle chunk' }).fill('annual plan refund');
  await expect.poll(() => dialog.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await dialog.getByRole('option').first().click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toContain(`${201 - orphaned} ok · 0 unresolved · ${orphaned - 1} orphaned`);

  // 3. The same file again, picked alone: it lands at the top level, refund-policy.md.
  await goTo(page, 'Corpus');
  await page.getByLabel('Add markdown files').setInputFiles(resolve(WIKI, 'billing/refund-policy.md'));
  await expect.poll(() => page.locator('[data-testid="article"][data-path="refund-policy.md"]').count(), { timeout: 15_000 }).toBe(1);

  await goTo(page, 'Questions');
  await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toMatch(/200 pairs · 200 ok · 0 unresolved · 0 orphaned/);
});
