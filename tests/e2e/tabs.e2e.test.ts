// The app open twice on one origin (two pages of one browser context, as two tabs): a change in one shows in the
// other; clearing in one while the other indexes leaves no vector behind; a newer version opened elsewhere and an
// older one that keeps the database open are told, with what to do, instead of a hang or "could not be read".
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { addSyntheticArticles, goTo, loadSampleWiki, pickModelFolder, useApp } from './support/app';

const app = useApp();

/** A same-origin page that does not run the app: what an older version's tab holding the database looks like. */
async function bareTab(page: Page, url: string): Promise<void> {
  await page.goto(new URL('sample-wiki/index.json', url).href);
}

/** Opens `name` at `version` in `page` and keeps the connection open, ignoring requests to close it. */
function holdDatabase(page: Page, version: number): Promise<void> {
  return page.evaluate(
    (v) =>
      new Promise<void>((done, fail) => {
        const request = indexedDB.open('raft-playground', v);
        request.onsuccess = () => {
          (globalThis as unknown as { held: IDBDatabase }).held = request.result;
          done();
        };
        request.onerror = () => fail(request.error);
      }),
    version,
  );
}

const counts = (page: Page) => page.getByTestId('corpus-counts').textContent();

test('files added in one tab show in the other; clearing while the other indexes leaves no vector behind', async () => {
  const { page: a, context, url } = await app.open();
  const b = await context.newPage();
  await b.goto(url);
  await expect.poll(() => counts(b), { timeout: 30_000 }).toBe('0 articles · 0 chunks');

  await loadSampleWiki(a);
  // B caught up without a reload, and says why its page changed.
  await expect.poll(() => counts(b), { timeout: 30_000 }).toMatch(/^25 articles · \d+ chunks$/);
  expect(await b.getByTestId('tab-changed').textContent()).toContain('Another tab added files to the corpus');
  // More chunks, so that B's indexing lasts long enough for A to clear in the middle of it.
  await addSyntheticArticles(a, 60);
  await expect.poll(() => counts(b), { timeout: 30_000 }).toMatch(/^85 articles · [\d,]+ chunks$/);

  // B indexes; A clears in the middle of it.
  await goTo(a, 'Corpus');
  await a.getByRole('button', { name: 'Clear all' }).click();
  await goTo(b, 'Models');
  await pickModelFolder(b, 'embedder', 'tiny/embedder');
  await goTo(b, 'Corpus');
  const progress = b.getByTestId('index-progress').locator('progress');
  await expect.poll(async () => Number((await progress.getAttribute('value').catch(() => null)) ?? 0), { timeout: 90_000 }).toBeGreaterThan(0);
  await a.getByRole('button', { name: 'Delete everything' }).click();
  expect(await b.getByTestId('index-progress').count()).toBe(1); // the clear landed while B was indexing
  await expect.poll(() => counts(a), { timeout: 30_000 }).toBe('0 articles · 0 chunks');

  // B's indexing ends, with nothing embedded for the deleted chunks, and B has none of them to search.
  await expect.poll(() => b.getByTestId('index-progress').count(), { timeout: 90_000 }).toBe(0);
  await expect.poll(() => counts(b), { timeout: 30_000 }).toBe('0 articles · 0 chunks');
  expect(await b.getByTestId('embedded-count').textContent()).toBe('Embedded 0 of 0 chunks');
  await goTo(b, 'Search');
  expect(await b.locator('main').textContent()).toContain('The corpus is empty.');

  // After a reload the counts are true: no orphan vector is counted, none is stored.
  await b.reload();
  await goTo(b, 'Corpus');
  await expect.poll(() => b.getByTestId('embedded-count').textContent(), { timeout: 30_000 }).toBe('Embedded 0 of 0 chunks');
  const vectors = await b.evaluate(
    () =>
      new Promise<number>((done) => {
        const request = indexedDB.open('raft-playground');
        request.onsuccess = () => {
          const count = request.result.transaction('vectors').objectStore('vectors').count();
          count.onsuccess = () => (request.result.close(), done(count.result));
        };
      }),
  );
  expect(vectors).toBe(0);
});

test('a newer version opened in another tab: this tab says to reload, and adding files says so too', async () => {
  const { page: a, context, url } = await app.open();
  await expect.poll(() => counts(a), { timeout: 30_000 }).toBe('0 articles · 0 chunks');
  const newer = await context.newPage();
  await bareTab(newer, url);
  await holdDatabase(newer, 99);

  const problem = a.getByTestId('tab-problem');
  await expect.poll(() => problem.textContent(), { timeout: 30_000 }).toMatch(/newer version of this app opened in another tab.*Reload this page/);
  expect(await problem.getByRole('button', { name: 'Reload this page' }).count()).toBe(1);
  await goTo(a, 'Corpus');
  await a.getByRole('button', { name: 'Load the sample wiki' }).click();
  const failed = a.getByRole('alert').filter({ hasText: 'Could not add the files' });
  await expect.poll(() => failed.textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/newer version of this app.*Reload this page/);
  expect(await a.locator('main').textContent()).not.toContain('could not be read');
});

test('an older version that keeps the database open in another tab: this tab says to close it, then opens', async () => {
  const { page: first, context, url } = await app.open();
  await bareTab(first, url);
  await holdDatabase(first, 1);
  const page = await context.newPage();
  await page.goto(url);
  await goTo(page, 'Corpus');
  await expect.poll(() => page.getByTestId('tab-problem').textContent(), { timeout: 30_000 }).toMatch(/older version, keeps the corpus database open.*Close that tab/);
  expect(await page.getByRole('status').filter({ hasText: 'Opening the corpus…' }).count()).toBe(1);
  await first.close();
  await expect.poll(() => counts(page), { timeout: 30_000 }).toBe('0 articles · 0 chunks');
  expect(await page.getByTestId('tab-problem').count()).toBe(0);
});
