// Nothing changes without being said (issue 14): a Hub error leaves the embedder card when the source becomes a
// local folder; loading the embedder says it re-chunks, before and after; a folder not kept in the browser does
// not load again by itself after a reload, and the page says why; the evaluation page says its scoring rule.
import { expect, test } from 'vitest';
import { goTo, loadSampleWiki, pickModelFolder, useApp } from './support/app';

const app = useApp();

test('Hub error cleared by a source change; re-chunk told; an unkept embedder waits after a reload; strict scoring said', async () => {
  const session = await app.open();
  const { page } = session;
  await loadSampleWiki(page);
  await goTo(page, 'Settings');
  await page.getByLabel('Allow downloads from the Hugging Face Hub').uncheck();

  // 1. The Hub refuses (switched off); choosing a local folder takes the stale error away.
  await goTo(page, 'Models');
  const card = page.getByTestId('loader-embedder');
  await card.getByLabel('Hugging Face Hub').check();
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  await expect.poll(() => card.getByRole('alert').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/Hugging Face Hub is switched off/);
  await card.getByLabel('Local folder').check();
  expect(await card.getByRole('alert').count()).toBe(0);

  // 2. Before loading, the card says the corpus will be re-chunked; after, a notice says how.
  expect(await card.textContent()).toMatch(/Loading one re-chunks your 25 articles \(\d+ chunks now\) with its tokenizer/);
  await pickModelFolder(page, 'embedder', 'tiny/embedder');
  await expect.poll(() => card.getByTestId('rechunk-notice').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(/re-chunked 25 articles, as chunk sizes are now counted with its tokenizer: \d+ → \d+ chunks\./);

  // 3. Not kept: after a reload it does not load by itself, and both pages say why and what to do.
  await page.reload();
  await goTo(page, 'Models');
  await expect.poll(() => card.getByTestId('embedder-not-kept').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/from the folder “embedder” on this device\. It was not kept/);
  expect(await card.getByTestId('loaded-embedder').count()).toBe(0);
  expect(await card.getByTestId('corpus-embedder').count()).toBe(0);
  await goTo(page, 'Corpus');
  expect(await page.getByTestId('index-model').textContent()).toMatch(/from a folder not kept in this browser: pick “embedder” again on the Models page/);

  // 4. The evaluation form scores strictly unless told otherwise, and says so.
  await goTo(page, 'Evaluation');
  expect(await page.getByLabel('Reply without <ANSWER>:').inputValue()).toBe('zero');
  expect(await page.getByTestId('eval-scoring-rule').textContent()).toMatch(/^Strict scoring: a reply without <ANSWER>: scores 0 for EM and F1\./);
  expect(session.external).toEqual([]);
});
