// Schema upgrades from hand-built older databases: the corpus is kept, the questions store added, and
// vector records (one article each until version 2) list their articles from version 3 on. And a newer version
// opened in another tab closes each of the app's databases here, which says to reload, instead of being blocked.
import { openDB } from 'idb';
import { expect, test } from 'vitest';
import { openDatasetDatabase } from '../../src/lib/store/dataset-db';
import { openDatabase, type OpenHooks } from '../../src/lib/store/db';
import { openEvalDatabase } from '../../src/lib/store/eval-db';
import { vectorRecordV3 } from '../../src/lib/store/migrations';
import { DB_VERSION } from '../../src/lib/store/schema';

test('a version-1 database upgrades to the current version with its records intact', async () => {
  const name = `upgrade-${Math.random()}`;
  const v1 = await openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('articles', { keyPath: 'path' });
      db.createObjectStore('chunks', { keyPath: 'id' }).createIndex('by-article', 'articlePath');
      const vectors = db.createObjectStore('vectors', { keyPath: 'key', autoIncrement: true });
      vectors.createIndex('by-article', 'articlePath');
      vectors.createIndex('by-model', 'modelKey');
      db.createObjectStore('meta', { keyPath: 'key' });
    },
  });
  await v1.put('chunks', { id: 'c1', articlePath: 'a.md', headingPath: [], text: 'kept', tokenCount: 1, contentHash: 'h', index: 0 });
  await v1.add('vectors', { articlePath: 'a.md', modelKey: 'm', chunkIds: ['c1'], dim: 2, vectors: new Float32Array([0.6, 0.8]) });
  v1.close();

  const db = await openDatabase(name);
  expect(db.version).toBe(DB_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['articles', 'chunks', 'meta', 'questions', 'vectors']);
  expect((await db.get('chunks', 'c1'))?.text).toBe('kept');
  const [vectors] = await db.getAllFromIndex('vectors', 'by-articles', 'a.md');
  expect(vectors).toMatchObject({ articlePaths: ['a.md'], modelKey: 'm', chunkIds: ['c1'], dim: 2 });
  expect(vectors).not.toHaveProperty('articlePath');
  expect([...vectors.vectors]).toEqual([...new Float32Array([0.6, 0.8])]);
  expect([...db.transaction('vectors').store.indexNames].sort()).toEqual(['by-articles', 'by-model']);
  await db.put('questions', { id: 'q1', question: 'Q?', answer: '', oracleChunkIds: ['c1'], split: 'unassigned', tags: [], origin: 'manual', status: 'ok', createdAt: 1, updatedAt: 1 });
  expect(await db.countFromIndex('questions', 'by-status', 'ok')).toBe(1);
  db.close();
  // Opening again at the same version reruns nothing and loses nothing.
  const again = await openDatabase(name);
  expect(await again.count('questions')).toBe(1);
  again.close();
});

test('a version-2 database upgrades its vector records and keeps its questions', async () => {
  const name = `upgrade-v2-${Math.random()}`;
  const v2 = await openDB(name, 2, {
    upgrade(db) {
      db.createObjectStore('articles', { keyPath: 'path' });
      db.createObjectStore('chunks', { keyPath: 'id' }).createIndex('by-article', 'articlePath');
      const vectors = db.createObjectStore('vectors', { keyPath: 'key', autoIncrement: true });
      vectors.createIndex('by-article', 'articlePath');
      vectors.createIndex('by-model', 'modelKey');
      db.createObjectStore('meta', { keyPath: 'key' });
      db.createObjectStore('questions', { keyPath: 'id' }).createIndex('by-status', 'status');
    },
  });
  for (const [path, ids] of [['a.md', ['c1', 'c2']], ['b.md', ['c3']]] as const) {
    await v2.add('vectors', { articlePath: path, modelKey: 'm', chunkIds: [...ids], dim: 1, vectors: new Float32Array(ids.length).fill(1) });
  }
  await v2.put('questions', { id: 'q1', status: 'ok' });
  v2.close();

  const db = await openDatabase(name);
  expect((await db.getAllFromIndex('vectors', 'by-articles', 'a.md')).map((r) => r.chunkIds)).toEqual([['c1', 'c2']]);
  expect((await db.getAllFromIndex('vectors', 'by-articles', 'b.md')).map((r) => r.chunkIds)).toEqual([['c3']]);
  expect(await db.count('questions')).toBe(1);
  db.close();
});

test('vectorRecordV3 moves the one article into the list and keeps everything else', () => {
  const vectors = new Float32Array([1, 0]);
  expect(vectorRecordV3({ key: 7, articlePath: 'a.md', modelKey: 'm', chunkIds: ['c1'], dim: 2, vectors })).toEqual({
    key: 7,
    articlePaths: ['a.md'],
    modelKey: 'm',
    chunkIds: ['c1'],
    dim: 2,
    vectors,
  });
});

test.each([
  ['corpus', (name: string, hooks: OpenHooks) => openDatabase(name, hooks)],
  ['dataset', (name: string, hooks: OpenHooks) => openDatasetDatabase(name, hooks)],
  ['evaluation', (name: string, hooks: OpenHooks) => openEvalDatabase(name, hooks)],
] as const)('the %s database makes way for a newer version opened in another tab, and says to reload', async (_kind, open) => {
  const name = `tabs-${Math.random()}`;
  const said: string[] = [];
  const db = await open(name, { onVersionChange: () => said.push('reload'), onBlocked: () => said.push('blocked') });
  const newer = await openDB(name, db.version + 1, { blocked: () => said.push('newer blocked') });
  expect(said).toEqual(['reload']);
  expect(newer.version).toBe(db.version + 1);
  newer.close();
});
