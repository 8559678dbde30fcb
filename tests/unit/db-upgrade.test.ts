// The schema upgrade from a hand-built version-1 database keeps the corpus and adds the questions store.
import { openDB } from 'idb';
import { expect, test } from 'vitest';
import { openDatabase } from '../../src/lib/store/db';
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
  v1.close();

  const db = await openDatabase(name);
  expect(db.version).toBe(DB_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['articles', 'chunks', 'meta', 'questions', 'vectors']);
  expect((await db.get('chunks', 'c1'))?.text).toBe('kept');
  await db.put('questions', { id: 'q1', question: 'Q?', answer: '', oracleChunkIds: ['c1'], split: 'unassigned', tags: [], origin: 'manual', status: 'ok', createdAt: 1, updatedAt: 1 });
  expect(await db.countFromIndex('questions', 'by-status', 'ok')).toBe(1);
  db.close();
  // Opening again at the same version reruns nothing and loses nothing.
  const again = await openDatabase(name);
  expect(await again.count('questions')).toBe(1);
  again.close();
});
