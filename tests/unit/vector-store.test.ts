// Compaction of stored vectors (fake-indexeddb): many small batch records become few large ones with
// the same vectors for the same ids, and deleting or re-chunking an article afterwards removes only
// its own rows from a shared record.
import { beforeEach, expect, test } from 'vitest';
import { openDatabase, type RaftDatabase } from '../../src/lib/store/db';
import { CorpusRepo } from '../../src/lib/store/repos/corpus-repo';
import type { ArticleRecord, ChunkRecord } from '../../src/lib/store/schema';

const DIM = 3;
let db: RaftDatabase;
let repo: CorpusRepo;

/** Each id's vector is [n, n + 0.25, n + 0.5] for the number in its name. */
const vectorOf = (id: string) => {
  const n = Number(id.split('-').pop());
  return [n, n + 0.25, n + 0.5];
};

const article = (path: string, chunkIds: string[]): ArticleRecord => ({
  path,
  title: path,
  aliases: [],
  tags: [],
  links: [],
  warnings: [],
  contentHash: chunkIds.join(),
  bytes: 0,
  chunkIds,
  addedAt: 0,
  text: '',
});
const chunks = (path: string, ids: string[]): ChunkRecord[] =>
  ids.map((id, index) => ({ id, articlePath: path, headingPath: [], text: id, tokenCount: 1, contentHash: id, index }));

async function putArticle(path: string, count: number, model = 'm'): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${path}-${i}`);
  await repo.saveArticle(article(path, ids), chunks(path, ids));
  await repo.putVectors({ articlePaths: [path], modelKey: model, chunkIds: ids, dim: DIM, vectors: new Float32Array(ids.flatMap(vectorOf)) });
  return ids;
}

/** id → vector of everything stored for `model`, as loadVectors returns it. */
async function stored(model = 'm'): Promise<Map<string, number[]>> {
  const loaded = await repo.loadVectors(model);
  const out = new Map<string, number[]>();
  loaded?.ids.forEach((id, row) => out.set(id, [...loaded.vectors.subarray(row * DIM, (row + 1) * DIM)]));
  return out;
}

beforeEach(async () => {
  db = await openDatabase(`vector-store-${Math.random()}`);
  repo = new CorpusRepo(db);
});

test('compaction merges small records into few large ones, vectors and ids unchanged', async () => {
  for (let a = 0; a < 40; a++) await putArticle(`a${a}.md`, 1 + (a % 5));
  await putArticle('other-model.md', 2, 'x');
  const before = await stored();
  expect(await db.count('vectors')).toBe(41);

  expect(await repo.compactVectors('m', 16)).toBe(40);
  expect(await stored()).toEqual(before);
  const records = await db.getAllFromIndex('vectors', 'by-model', 'm');
  expect(records.length).toBeLessThanOrEqual(Math.ceil(before.size / 8));
  for (const r of records) expect(r.chunkIds.length).toBeLessThanOrEqual(16);
  // Another model's records are left alone, and a second compaction finds nothing to do.
  expect((await stored('x')).size).toBe(2);
  expect(await repo.compactVectors('m', 16)).toBe(0);
  expect(await repo.embeddedChunkIds('m')).toEqual(new Set(before.keys()));
});

test('after compaction, deleting and re-chunking an article touch only its rows', async () => {
  const a = await putArticle('a.md', 3);
  const b = await putArticle('b.md', 4);
  const c = await putArticle('c.md', 2);
  await repo.compactVectors('m', 64);
  expect(await db.count('vectors')).toBe(1);

  await repo.deleteArticle('b.md');
  const afterDelete = await stored();
  expect([...afterDelete.keys()]).toEqual([...a, ...c]);
  for (const [id, vector] of afterDelete) expect(vector).toEqual(vectorOf(id));
  const [record] = await db.getAll('vectors');
  expect(record.articlePaths.sort()).toEqual(['a.md', 'c.md']);
  expect(await db.countFromIndex('vectors', 'by-articles', 'b.md')).toBe(0);

  // Re-chunking a.md keeps its first chunk (same id) and drops the others.
  await repo.saveArticle(article('a.md', [a[0]]), chunks('a.md', [a[0]]));
  expect([...(await stored()).keys()]).toEqual([a[0], ...c]);
  expect(await db.countFromIndex('vectors', 'by-articles', 'a.md')).toBe(1);
  // Dropping c.md's last chunks removes c.md from the record's list.
  await repo.saveArticle(article('c.md', []), []);
  expect([...(await stored()).keys()]).toEqual([a[0]]);
  expect((await db.getAll('vectors'))[0].articlePaths).toEqual(['a.md']);
});
