// What the page says about the evaluation and dataset databases when another tab holds an older version open or
// opens a newer one (fake-indexeddb), and how those notices replace each other.
import { expect, test } from 'vitest';
import type { CorpusSummary } from '../../src/lib/core/corpus/reports';
import { openDatabase } from '../../src/lib/store/db';
import { openDatasetDatabase } from '../../src/lib/store/dataset-db';
import { openEvalDatabase } from '../../src/lib/store/eval-db';
import { DatabaseNotices, noticeHooks } from '../../src/lib/state/db-notices.svelte';

function openRaw(name: string, version: number): Promise<IDBDatabase> {
  return new Promise((done, fail) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => done(request.result);
    request.onerror = () => fail(request.error);
  });
}

test('a newer version opened in another tab closes the evaluation and dataset databases and says to reload', async () => {
  for (const [label, open] of [
    ['evaluation', openEvalDatabase],
    ['dataset', openDatasetDatabase],
  ] as const) {
    const notices = new DatabaseNotices();
    const name = `notices-${label}-${Math.random()}`;
    await open(name, noticeHooks(label, notices));
    expect(notices.problem).toBeNull();
    (await openRaw(name, 50)).close(); // not blocked: this tab let go of its connection
    expect(notices.problem).toEqual({ reload: true, message: expect.stringMatching(new RegExp(`newer version of this app .* the ${label} database.*Reload this page`)) });
  }
});

// NOTE: the evaluation and dataset databases are at version 1, so nothing older can block them yet; the corpus
// database (version 3) shows the same hooks at work.
test('an older tab keeping a database open is named until it lets go; a closed database outranks it', async () => {
  const notices = new DatabaseNotices();
  const name = `notices-blocked-${Math.random()}`;
  const older = await openRaw(name, 1);
  const opening = openDatabase(name, noticeHooks('corpus', notices));
  await expect.poll(() => notices.problem?.message).toMatch(/older version, keeps the corpus database open.*Close that tab/);
  expect(notices.problem?.reload).toBe(false);
  older.close();
  (await opening).close();
  notices.opened('corpus');
  expect(notices.problem).toBeNull();
  notices.closed('corpus', 'terminated');
  notices.blocked('dataset');
  expect(notices.problem).toEqual({ reload: true, message: expect.stringMatching(/browser closed the corpus database.*Reload this page/) });
});

test('what the corpus worker says unasked becomes the notice above the page, and a change brings the new corpus', () => {
  const notices = new DatabaseNotices();
  expect(notices.heard({ kind: 'blocked' })).toBeNull();
  expect(notices.problem).toEqual({ reload: false, message: expect.stringContaining('Close that tab') });
  const summary = { articles: [], chunkCount: 0, embeddedCount: 0 } as unknown as CorpusSummary;
  expect(notices.heard({ kind: 'changed', what: 'clear', summary })).toBe(summary);
  expect(notices.changed).toBe('Another tab cleared the corpus; this page now shows the result.');
  expect(notices.heard({ kind: 'closed', reason: 'versionchange' })).toBeNull();
  expect(notices.problem).toEqual({ reload: true, message: expect.stringContaining('Reload this page') });
});
