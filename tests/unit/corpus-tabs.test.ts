// Two tabs on one corpus database, in Node: two corpus workers over one fake-indexeddb database talk over a
// BroadcastChannel and share a write lock, as two tabs do. Clearing while the other indexes leaves no orphan
// vector; a change in one is heard by the other; a version change elsewhere closes the corpus with "reload".
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import type { IngestFile } from '../../src/lib/core/corpus/reports';
import { changeFrom, type CorpusEvent } from '../../src/lib/core/tabs';
import { openDatabase } from '../../src/lib/store/db';
import { CorpusRepo } from '../../src/lib/store/repos/corpus-repo';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';

const WIKI = resolve(import.meta.dirname, '../../public/sample-wiki');
const EMBEDDER = resolve(import.meta.dirname, '../models/tiny/embedder');
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;

let dbName = '';
let clients: CorpusClient[] = [];
let watches: AbortController[] = [];
beforeEach(() => {
  dbName = `tabs-test-${Math.random()}`;
});
afterEach(() => {
  watches.splice(0).forEach((w) => w.abort());
  clients.splice(0).forEach((c) => c.terminate());
});

/** One tab: a corpus worker, and what it told its page unasked. */
function openTab() {
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, (hooks) => openDatabase(dbName, hooks)));
  const client = new CorpusClient(endpoint, close);
  clients.push(client);
  const events: CorpusEvent[] = [];
  const watch = new AbortController();
  watches.push(watch);
  client.call('watch', undefined, { signal: watch.signal, onProgress: (e) => events.push(e) }).catch(() => {});
  return { client, events };
}

async function sampleWiki(): Promise<IngestFile[]> {
  const index = JSON.parse(await readFile(resolve(WIKI, 'index.json'), 'utf8')) as { files: string[] };
  return Promise.all(index.files.map(async (path) => ({ path, blob: new Blob([await readFile(resolve(WIKI, path))]) })));
}

async function vectorRows(): Promise<{ ids: string[]; chunks: number }> {
  const db = await openDatabase(dbName);
  const records = await db.getAll('vectors');
  const chunks = await db.count('chunks');
  db.close();
  return { ids: records.flatMap((r) => r.chunkIds), chunks };
}

test('a tab that clears the corpus while another indexes leaves no orphan vector, and both tabs show an empty corpus', async () => {
  const a = openTab();
  const b = openTab();
  await a.client.call('open', undefined);
  await b.client.call('open', undefined);
  await a.client.call('ingest', { files: await sampleWiki() });
  await a.client.call('loadEmbedder', { source: await readModelFolder(EMBEDDER), options: FP32 });
  let cleared: Promise<unknown> | null = null;
  const indexed = await a.client.call('index', undefined, {
    onProgress: (p) => {
      if (p.done > 0 && !cleared) cleared = b.client.call('clear', undefined);
    },
  });
  expect(cleared).not.toBeNull();
  await cleared;
  // A's index ran on, but stored nothing for chunks that B deleted.
  const stored = await vectorRows();
  expect(stored.chunks).toBe(0);
  expect(stored.ids).toEqual([]);
  await expect.poll(() => a.client.call('summary', undefined)).toMatchObject({ chunkCount: 0, embeddedCount: 0, articles: [] });
  expect(indexed.embeddedCount).toBeLessThanOrEqual(indexed.chunkCount);
  const { hits } = await a.client.call('search', { query: 'refund within 14 days', mode: 'lexical', k: 5 });
  expect(hits).toEqual([]);
  // A heard of B's clear, and a reload counts true.
  expect(a.events.some((e) => e.kind === 'changed' && e.what === 'clear')).toBe(true);
  const reloaded = await openTab().client.call('open', undefined);
  expect(reloaded).toMatchObject({ chunkCount: 0, embeddedCount: 0 });
});

test('files added in one tab show in the other without a reload', async () => {
  const a = openTab();
  const b = openTab();
  await a.client.call('open', undefined);
  await b.client.call('open', undefined);
  await a.client.call('ingest', { files: (await sampleWiki()).slice(0, 3) });
  await expect.poll(() => b.events.find((e) => e.kind === 'changed')).toMatchObject({ kind: 'changed', what: 'files' });
  const heard = b.events.find((e) => e.kind === 'changed');
  expect(heard?.kind === 'changed' && heard.summary.articles).toHaveLength(3);
  expect((await b.client.call('summary', undefined)).articles).toHaveLength(3);
  // Two tabs adding at once: both writes land, and each tab ends up showing both.
  const files = (await sampleWiki()).slice(3, 7);
  await Promise.all([a.client.call('ingest', { files: files.slice(0, 2) }), b.client.call('ingest', { files: files.slice(2) })]);
  await expect.poll(async () => (await a.client.call('summary', undefined)).articles.length).toBe(7);
  await expect.poll(async () => (await b.client.call('summary', undefined)).articles.length).toBe(7);
});

test('vectors of chunks that no longer exist are neither stored nor counted after a reload', async () => {
  const { client } = openTab();
  await client.call('open', undefined);
  await client.call('ingest', { files: (await sampleWiki()).slice(0, 2) });
  const db = await openDatabase(dbName);
  const repo = new CorpusRepo(db);
  const live = (await repo.allChunks()).map((c) => c.id);
  const dim = 4;
  const stored = await repo.putVectors({ articlePaths: ['x.md'], modelKey: 'm', chunkIds: [live[0], 'gone', live[1]], dim, vectors: new Float32Array(3 * dim).fill(1) });
  expect(stored?.chunkIds).toEqual([live[0], live[1]]);
  expect(await repo.putVectors({ articlePaths: ['x.md'], modelKey: 'm', chunkIds: ['gone'], dim, vectors: new Float32Array(dim) })).toBeNull();
  // An orphan left by an older version of the app is not counted: never "Embedded N of M" with N > M.
  await db.add('vectors', { articlePaths: ['x.md'], modelKey: 'm', chunkIds: ['orphan-1', 'orphan-2'], dim, vectors: new Float32Array(2 * dim) });
  await repo.setMeta('corpus-embedder', { key: 'm', label: 'M', dim, source: { kind: 'hub', id: 'x' }, options: FP32 });
  db.close();
  const summary = await openTab().client.call('open', undefined);
  expect(summary.embeddedCount).toBe(2);
  expect(summary.embeddedCount).toBeLessThanOrEqual(summary.chunkCount);
});

test('a newer version opened elsewhere closes the corpus: the page hears it, and the next add says to reload', async () => {
  const { client, events } = openTab();
  await client.call('open', undefined);
  const newer = await new Promise<IDBDatabase>((done, fail) => {
    const request = indexedDB.open(dbName, 99);
    request.onsuccess = () => done(request.result);
    request.onerror = () => fail(request.error);
  });
  newer.close();
  expect(events).toContainEqual({ kind: 'closed', reason: 'versionchange' });
  const add = client.call('ingest', { files: [{ path: 'a.md', blob: new Blob(['# A\n\nText.']) }] });
  await expect(add).rejects.toMatchObject({ name: 'DatabaseClosedError', message: expect.stringMatching(/newer version.*Reload this page/) });
  // A tab of the older version cannot open the upgraded database: it says to reload, not a bare VersionError.
  const old = openTab();
  await expect(old.client.call('open', undefined)).rejects.toMatchObject({ name: 'DatabaseClosedError', message: expect.stringMatching(/reload this page/) });
});

test('an older tab that keeps the database open blocks opening: the page hears it, and opening goes on once it closes', async () => {
  const older = await new Promise<IDBDatabase>((done, fail) => {
    const request = indexedDB.open(dbName, 1);
    request.onsuccess = () => done(request.result);
    request.onerror = () => fail(request.error);
  });
  const { client, events } = openTab();
  const opening = client.call('open', undefined);
  await expect.poll(() => events).toContainEqual({ kind: 'blocked' });
  older.close();
  await expect(opening).resolves.toMatchObject({ chunkCount: 0 });
});

test('a tab reads only well-formed change messages of other tabs', () => {
  expect(changeFrom({ kind: 'changed', from: 'other', what: 'clear' }, 'me')).toEqual({ kind: 'changed', from: 'other', what: 'clear' });
  expect(changeFrom({ kind: 'changed', from: 'me', what: 'clear' }, 'me')).toBeNull();
  expect(changeFrom({ kind: 'changed', from: 'other', what: 'drop-tables' }, 'me')).toBeNull();
  expect(changeFrom('changed', 'me')).toBeNull();
});
