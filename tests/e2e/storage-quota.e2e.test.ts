// A full storage in real Chromium (issue 13, item 4): CDP Storage.overrideQuotaForOrigin leaves the app a few
// kilobytes. Each write that no longer fits says the storage is full, with the usage and the way out, never
// blames the file, and the embedded count matches the vectors IndexedDB really holds.
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { addSyntheticArticles, goTo, loadSampleWiki, pickModelFolder, useApp, type AppSession } from './support/app';

const QUESTIONS = resolve(import.meta.dirname, '../../public/sample-wiki/questions.jsonl');
const FULL = /The browser's storage for this app is full \(this site uses [\d.]+ [KMG]B of the [\d.]+ [KMG]B the browser allows it\).*"Keep data on this device"/;

const app = useApp();

/** Sets this origin's quota to `bytes`: 1 refuses every write once the browser asks its quota manager again. */
async function setQuota({ page, context, url }: AppSession, bytes: number): Promise<void> {
  // NOTE: the override lasts while its CDP session does, so the session is left open.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(url).origin, quotaSize: bytes });
}

/** Vectors IndexedDB holds, counted in the page (the truth the panel must tell). */
function storedVectors(s: AppSession): Promise<number> {
  return s.page.evaluate(
    () =>
      new Promise<number>((done, fail) => {
        const open = indexedDB.open('raft-playground');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('vectors').objectStore('vectors').getAll();
          all.onsuccess = () => done((all.result as { chunkIds: string[] }[]).reduce((n, r) => n + r.chunkIds.length, 0));
          all.onerror = () => fail(all.error);
        };
      }),
  );
}

test('indexing, adding files and importing questions into a full storage say so, with the usage; counts stay true', async () => {
  const session = await app.open();
  const { page } = session;
  // NOTE: one thread, so cancelling after the first batches leaves most chunks to index.
  await goTo(page, 'Settings');
  await page.getByLabel('CPU threads for WASM').selectOption('1');
  await page.reload();
  await loadSampleWiki(page);
  await addSyntheticArticles(page, 100); // indexing then lasts long enough to be cancelled partway

  // 1. Indexing: cancelled after its first batches (their vectors are kept), then resumed with no room left.
  await goTo(page, 'Models');
  await pickModelFolder(page, 'embedder', 'tiny/embedder');
  await goTo(page, 'Corpus');
  const progress = page.getByTestId('index-progress');
  // On a failure, what the page showed (the alerts and counts) goes to the log.
  const dump = async (e: unknown) => {
    console.log('Page at failure:', await page.locator('main').textContent());
    throw e;
  };
  await expect
    .poll(async () => Number((await progress.locator('progress').getAttribute('value').catch(() => null)) ?? 0), { timeout: 90_000 })
    .toBeGreaterThan(0)
    .catch(dump);
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Indexing paused' }).count(), { timeout: 30_000 }).toBe(1).catch(dump);
  await setQuota(session, 1);
  // Chromium's IndexedDB approves writes from its last quota answer for up to 30 s (kBucketSpaceCacheTimeLimit
  // in bucket_context.h); once that has lapsed, the next write asks again and is refused. Waiting it out makes
  // the refusal certain (a faster machine had indexed every chunk inside that window).
  await page.waitForTimeout(31_000);
  await page.getByRole('button', { name: /^Index \d+ chunks?$/ }).click();
  const stopped = page.getByRole('alert').filter({ hasText: 'Indexing stopped' });
  await expect.poll(() => stopped.count(), { timeout: 60_000 }).toBe(1).catch(dump);
  const message = (await stopped.textContent()) ?? '';
  expect(message).toMatch(FULL);
  const [, embedded, total] = message.match(/Indexing stopped with ([\d,]+) of ([\d,]+) chunks embedded/) ?? [];
  const stored = await storedVectors(session);
  expect(Number(embedded.replace(/,/g, ''))).toBe(stored);
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThan(Number(total.replace(/,/g, '')));
  expect(await page.getByTestId('embedded-count').textContent()).toBe(`Embedded ${embedded.replace(/,/g, '')} of ${total.replace(/,/g, '')} chunks`);

  // 2. Adding a file: the file is not blamed ("could not be read"), and nothing of it is listed as added.
  const articles = await page.getByTestId('ingest-report').textContent();
  await page.getByLabel('Add markdown files').setInputFiles({ name: 'big.md', mimeType: 'text/markdown', buffer: Buffer.from(`# Big\n\n${'Plenty of words here. '.repeat(20_000)}\n`) });
  const full = page.getByRole('alert').filter({ hasText: /storage for this app is full/ });
  await expect.poll(() => full.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await full.first().textContent()).toMatch(FULL);
  expect(await page.locator('body').textContent()).not.toMatch(/big\.md.{0,5}could not be read/);
  expect(await page.getByTestId('ingest-report').textContent()).toBe(articles);

  // 3. Importing questions: the storage is named, not the file.
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(QUESTIONS);
  // NOTE: the corpus's alert from step 2 may show on every page; the import's own alert is in its panel.
  const importFull = page.getByTestId('question-import').getByRole('alert');
  await expect.poll(() => importFull.count(), { timeout: 30_000 }).toBe(1);
  expect(await importFull.textContent()).toMatch(FULL);
  expect(await importFull.textContent()).not.toMatch(/Could not import/);
  expect(session.external).toEqual([]);
});
