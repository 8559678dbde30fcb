// A user's journey to a RAFT dataset in the built app: sample wiki → import questions → build →
// inspect an example → download every format and check it parses.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { goTo, loadSampleWiki, useApp } from './support/app';

const QUESTIONS = resolve(import.meta.dirname, '../../public/sample-wiki/questions.jsonl');

const app = useApp();

test('sample wiki + imported questions → dataset → example viewer → downloads that parse', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWiki(page);

  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(QUESTIONS);
  const report = page.getByTestId('import-report');
  await expect.poll(() => report.textContent(), { timeout: 30_000 }).toMatch(/200/);
  expect(await report.textContent()).not.toMatch(/unresolved: [1-9]|[1-9]\d* unresolved/i);

  await goTo(page, 'Dataset');
  const status = page.getByTestId('dataset-questions');
  // The file gives every question its split: there is nothing left to split.
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/200 resolved questions: 94 train, 106 test\./);
  expect(await page.getByRole('button', { name: 'Split them the same way' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Build dataset' }).click();
  const table = page.getByTestId('examples-table');
  await expect.poll(() => table.locator('[role="row"].body').count(), { timeout: 30_000 }).toBeGreaterThan(5);

  // The summary charts: each an image named by its title, its bars counted in words for screen readers.
  const charts = page.getByTestId('dataset-charts');
  for (const name of ['Oracle position', 'Distractor similarity to the question', 'Prompt length (approximate tokens)']) expect(await charts.getByRole('img', { name, exact: true }).count()).toBe(1);
  expect(await charts.getByRole('img', { name: 'Oracle position', exact: true }).locator('rect.chart-bar').count()).toBeGreaterThan(1);
  expect(await charts.getByRole('table', { name: 'Oracle position' }).getByRole('row').count()).toBe(6); // header + positions 0..4

  // Open the first example that kept its oracle: one oracle block and k = 4 distractors, labelled in words.
  await page.getByLabel('No oracle only').uncheck();
  await table.locator('[role="row"].body').first().click();
  const viewer = page.getByTestId('example-viewer');
  await expect.poll(() => viewer.locator('li.document').count()).toBe(5);
  const roles = await viewer.locator('li.document').evaluateAll((items) => items.map((li) => li.getAttribute('data-role')));
  expect(roles.filter((r) => r === 'oracle').length).toBeLessThanOrEqual(1);
  expect(roles.filter((r) => r === 'hard' || r === 'random').length).toBeGreaterThanOrEqual(4);
  expect(await viewer.textContent()).toMatch(/Hard distractor/);

  // A candidate holding the answer is no distractor: the summary counts it, the example names it and why.
  expect(await page.getByTestId('skipped-count').textContent()).toMatch(/holds the answer: [1-9]/);
  for (let i = 0; i < 200 && !(await viewer.textContent())!.includes('maximum attachment size'); i++) await viewer.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => viewer.getByTestId('skipped-distractors').textContent()).toMatch(/left out: holds the answer — Error code reference › .*E-413/);

  const panel = page.getByTestId('export-panel');
  for (const format of ['gorilla', 'chat', 'completion']) {
    await panel.getByLabel('Format').selectOption(format);
    for (const name of ['train.jsonl', 'test.jsonl', 'manifest.json']) {
      // Named by format, so the three exports do not overwrite each other in the Downloads folder.
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: `Download raft-${format}-${name}` }).click()]);
      expect(download.suggestedFilename()).toBe(`raft-${format}-${name}`);
      const text = await readFile((await download.path())!, 'utf8');
      if (name === 'manifest.json') expect(JSON.parse(text).format).toBe(format);
      else {
        const lines = text.trim().split('\n');
        expect(lines).toHaveLength(name === 'train.jsonl' ? 94 : 106);
        for (const line of lines) expect(JSON.parse(line)).toBeTypeOf('object');
      }
      if (name === 'train.jsonl') {
        const first = JSON.parse(text.split('\n')[0]);
        const keys = { gorilla: 'cot_answer', chat: 'messages', completion: 'completion' }[format]!;
        expect(first).toHaveProperty(keys);
      }
    }
  }
  expect(session.external).toEqual([]);
});

test('the recipe and an edited prompt template survive a reload', async () => {
  const session = await app.open();
  const { page } = session;
  await goTo(page, 'Dataset');
  await page.getByLabel('Seed').fill('1234');
  await page.getByLabel('Seed').press('Tab');
  await page.getByText('Prompt template').click();
  await page.getByLabel('System message').fill('Answer from the documents only.');
  await page.reload();
  await goTo(page, 'Dataset');
  await expect.poll(() => page.getByLabel('Seed').inputValue()).toBe('1234');
  await page.getByText('Prompt template (edited)').click();
  expect(await page.getByLabel('System message').inputValue()).toBe('Answer from the documents only.');
});
