// A user's journey through the built app: load the sample wiki, search it, index it with the tiny
// embedder (kept in the browser), search three ways, reload, and search again with nothing re-embedded.
import { expect, test } from 'vitest';
import { goTo, loadSampleWiki, pickModelFolder, useApp, type AppSession } from './support/app';

const app = useApp();

/** What the result line names for each mode: the previous search's results stay shown until the new ones come. */
const MODE_META = { Lexical: /BM25/, Dense: /(voy|flat) /, Hybrid: /reciprocal rank/ } as const;

async function search(s: AppSession, query: string, mode: keyof typeof MODE_META) {
  const { page } = s;
  await goTo(page, 'Search');
  await page.getByRole('radio', { name: mode }).check();
  await page.getByLabel('Search the corpus').fill(query);
  await page.getByLabel('Search the corpus').press('Enter');
  const results = page.getByTestId('search-results');
  await expect.poll(() => page.getByTestId('search-meta').textContent(), { timeout: 30_000 }).toMatch(MODE_META[mode]);
  await expect.poll(() => results.locator(':scope > li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  return { results, meta: await page.getByTestId('search-meta').textContent() };
}

test('sample wiki → three search modes → reload → search again without re-embedding', async () => {
  const session = await app.open();
  const { page } = session;
  // Record whether indexing progress ever shows, on this page and after the reload below.
  const watchIndexing = () =>
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="index-progress"]')) sessionStorage.setItem('saw-indexing', 'yes');
    }).observe(document, { subtree: true, childList: true });
  await page.addInitScript(watchIndexing);
  await page.evaluate(watchIndexing);

  await loadSampleWiki(page);

  const lexical = await search(session, 'refund within 14 days', 'Lexical');
  expect(await lexical.results.locator('li').first().textContent()).toContain('Refund policy (monthly plans)');
  expect(await lexical.results.locator('mark').count()).toBeGreaterThan(0);
  expect(lexical.meta).toMatch(/BM25/);

  await goTo(page, 'Models');
  // Said before loading: the embedder's tokenizer re-chunks the corpus.
  expect(await page.getByTestId('loader-embedder').textContent()).toMatch(/Loading one re-chunks your 25 articles \(\d+ chunks now\)/);
  // Kept in the browser, so that after the reload below it loads again by itself (a folder not kept does not).
  await pickModelFolder(page, 'embedder', 'tiny/embedder', { keep: true });
  await goTo(page, 'Corpus');
  // Said after: how many chunks before and after.
  await expect.poll(() => page.getByTestId('rechunk-notice').textContent(), { timeout: 60_000 }).toMatch(/re-chunked 25 articles, as chunk sizes are now counted with its tokenizer: \d+ → \d+ chunks\./);
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
  expect(await page.getByTestId('rechunk-notice').count()).toBe(0); // the same model again: nothing re-chunked
  const again = await search(session, 'How many devices can the free plan sync?', 'Dense');
  expect(await again.results.locator(':scope > li').count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => sessionStorage.getItem('saw-indexing'))).toBeNull();
  expect(session.external).toEqual([]);
});
