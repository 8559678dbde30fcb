// A user's journey through the built app: load the sample wiki, search it, index it with the tiny
// embedder, search three ways, reload, and search again with nothing re-embedded.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { goTo, MODELS_DIR, openApp, serveBuiltApp, type AppSession } from './support/app';

let session: AppSession | null = null;
beforeAll(() => serveBuiltApp(), 240_000);
afterEach(async () => {
  await session?.close();
  session = null;
});
afterAll(async () => (await serveBuiltApp()).server.close());

async function search(s: AppSession, query: string, mode: 'Lexical' | 'Dense' | 'Hybrid') {
  const { page } = s;
  await goTo(page, 'Search');
  await page.getByRole('radio', { name: mode }).check();
  await page.getByLabel('Search the corpus').fill(query);
  await page.getByLabel('Search the corpus').press('Enter');
  const results = page.getByTestId('search-results');
  await expect.poll(() => results.locator(':scope > li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  return { results, meta: await page.getByTestId('search-meta').textContent() };
}

test('sample wiki → three search modes → reload → search again without re-embedding', async () => {
  session = await openApp();
  const { page } = session;
  // Record whether indexing progress ever shows, on this page and after the reload below.
  const watchIndexing = () =>
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="index-progress"]')) sessionStorage.setItem('saw-indexing', 'yes');
    }).observe(document, { subtree: true, childList: true });
  await page.addInitScript(watchIndexing);
  await page.evaluate(watchIndexing);

  await goTo(page, 'Corpus');
  await page.getByRole('button', { name: 'Load the sample wiki' }).click();
  await expect.poll(() => page.getByTestId('ingest-report').textContent(), { timeout: 30_000 }).toMatch(/Added 25/);

  const lexical = await search(session, 'refund within 14 days', 'Lexical');
  expect(await lexical.results.locator('li').first().textContent()).toContain('Refund policy (monthly plans)');
  expect(await lexical.results.locator('mark').count()).toBeGreaterThan(0);
  expect(lexical.meta).toMatch(/BM25/);

  await goTo(page, 'Models');
  const card = page.getByTestId('loader-embedder');
  await card.getByLabel('Local folder').check();
  await card.getByLabel('Model folder').setInputFiles(join(MODELS_DIR, 'tiny/embedder'));
  await card.getByLabel('Dtype').selectOption('fp32');
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  await goTo(page, 'Corpus');
  await expect
    .poll(async () => {
      const text = (await page.getByTestId('embedded-count').textContent()) ?? '';
      const [, done, total] = text.match(/Embedded (\d+) of (\d+)/) ?? [];
      return done !== undefined && done === total && Number(total) > 100;
    }, { timeout: 90_000 })
    .toBe(true);
  expect(await page.evaluate(() => sessionStorage.getItem('saw-indexing'))).toBe('yes');
  const embedded = await page.getByTestId('embedded-count').textContent();

  const dense = await search(session, 'How many devices can the free plan sync?', 'Dense');
  expect(dense.meta).toMatch(/voy .* ms/);
  const hybrid = await search(session, 'How many devices can the free plan sync?', 'Hybrid');
  expect(hybrid.meta).toMatch(/reciprocal rank/);

  await page.evaluate(() => sessionStorage.removeItem('saw-indexing'));
  await page.reload();
  await goTo(page, 'Corpus');
  await expect.poll(() => page.getByTestId('embedded-count').textContent(), { timeout: 30_000 }).toBe(embedded);
  const again = await search(session, 'How many devices can the free plan sync?', 'Dense');
  expect(await again.results.locator(':scope > li').count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => sessionStorage.getItem('saw-indexing'))).toBeNull();
  expect(session.external).toEqual([]);
});
