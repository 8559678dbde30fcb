// What the pages show (issue 14): the generation article chooser (filter, folders, plurals), each pair's oracle
// named from its chunk, and hybrid search hits labelled by their rank in the words and meaning lists.
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { addSyntheticArticles, goTo, loadSampleWiki, pickModelFolder, useApp } from './support/app';

const QUESTIONS = resolve(import.meta.dirname, '../../public/sample-wiki/questions.jsonl');

const app = useApp();

test('article chooser filter, oracle names, hybrid ranks', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWiki(page);

  // 1. The oracle of an imported pair: the chunk's full path (folder included), headings and place.
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(QUESTIONS);
  await expect.poll(() => page.getByTestId('pair-counts').textContent(), { timeout: 30_000 }).toMatch(/200 pairs · 200 ok/);
  const oracle = page.getByTestId('pair-oracle').first();
  await expect.poll(() => oracle.textContent(), { timeout: 30_000 }).toMatch(/^Oracle: billing\/refund-policy\.md( › .+)? \(chunk \d+ of \d+\)$/);

  // 2. The article chooser: a labelled filter, each title with its folder, counts in the right number.
  const panel = page.getByTestId('question-generation');
  await panel.getByLabel('Chunks of chosen articles').check();
  await panel.getByLabel('Filter articles').fill('refund');
  const items = panel.getByTestId('generation-articles').locator('li');
  await expect.poll(() => items.count()).toBeGreaterThan(0);
  expect(await items.count()).toBeLessThan(25); // titles, folders and aliases without "refund" are left out
  const refund = items.filter({ hasText: 'Refund policy (monthly plans)' });
  expect((await refund.textContent())?.trim()).toMatch(/^Refund policy \(monthly plans\) · billing\/ · (1 chunk|\d+ chunks)$/);
  await refund.getByRole('checkbox').check();
  expect(await panel.getByTestId('generation-choice').textContent()).toMatch(/^1 article chosen, (1 chunk|([2-9]|\d\d+) chunks)\.\sShowing \d+ of 25 articles\.$/);

  // 3. Indexing (long enough to watch, with synthetic articles): the headline and the bar give the same count.
  await addSyntheticArticles(page, 40);
  await page.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { indexSamples: seen });
    setInterval(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="index-progress"] progress');
      const headline = document.querySelector('[data-testid="embedded-count"]')?.textContent ?? '';
      if (bar?.hasAttribute('value')) seen.push(`${headline} | ${bar.value} of ${bar.max}`);
    }, 25);
  });
  await goTo(page, 'Models');
  await pickModelFolder(page, 'embedder', 'tiny/embedder');
  await goTo(page, 'Corpus');
  await expect
    .poll(async () => /Embedded (\d+) of \1 chunks/.test((await page.getByTestId('embedded-count').textContent()) ?? ''), { timeout: 90_000 })
    .toBe(true);
  const samples = await page.evaluate(() => (window as unknown as { indexSamples: string[] }).indexSamples);
  expect(samples.length).toBeGreaterThan(0);
  for (const s of samples) expect(s).toMatch(/^Embedded (\d+) of (\d+) chunks \| \1 of \2$/);

  // 4. Hybrid search: ranks in both lists, not a fused 0.016, and a caption saying why.
  await goTo(page, 'Search');
  await page.getByRole('radio', { name: 'Hybrid' }).check();
  await page.getByLabel('Search the corpus').fill('How many devices can the free plan sync?');
  await page.getByLabel('Search the corpus').press('Enter');
  await expect.poll(() => page.getByTestId('search-meta').textContent(), { timeout: 30_000 }).toMatch(/reciprocal rank/);
  const scores = await page.getByTestId('hit-score').allTextContents();
  expect(scores.length).toBeGreaterThan(1);
  for (const s of scores) expect(s).toMatch(/^(#\d+|unranked by) words · (#\d+|unranked by) meaning$/);
  expect(await page.getByTestId('hybrid-explained').textContent()).toContain('reciprocal-rank fusion');
  expect(session.external).toEqual([]);
});
