// The corpus worker's logic in Node (fake-indexeddb): ingest, bad input, search, indexing, reload.
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CorpusClient } from '../../src/lib/clients/corpus';
import { readModelFolder } from '../../src/cli/model-folder';
import { openDatabase } from '../../src/lib/store/db';
import { CorpusRepo } from '../../src/lib/store/repos/corpus-repo';
import { corpusWorkers, sampleWikiFiles } from '../support/corpus-harness';

const EMBEDDER = resolve(import.meta.dirname, '../models/tiny/embedder');
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;

/** openCorpus(): a fresh worker over the same database, what a page reload gives. */
const workers = corpusWorkers('corpus-test');
const openCorpus = workers.open;
const sampleWiki = sampleWikiFiles;

const file = (path: string, content: string | Uint8Array<ArrayBuffer>) => ({ path, blob: new Blob([content]) });

test('the sample wiki ingests into articles and chunks with heading paths, searchable lexically', async () => {
  const { client } = await openCorpus();
  const files = await sampleWiki();
  const { report, summary } = await client.call('ingest', { files });
  expect(report.added).toHaveLength(files.length);
  expect(report.skipped).toEqual([]);
  expect(summary.chunkCount).toBeGreaterThan(files.length * 3);
  const refund = summary.articles.find((a) => a.path === 'billing/refund-policy.md')!;
  expect(refund.title).toBe('Refund policy (monthly plans)');
  const chunks = await client.call('chunksOf', { path: refund.path });
  expect(chunks.some((c) => c.headingPath.join(' › ') === 'Refund policy (monthly plans) › Request a refund')).toBe(true);
  const { hits, engine } = await client.call('search', { query: 'refund within 14 days of the first payment', mode: 'lexical', k: 5 });
  expect(engine).toBeNull();
  expect(hits[0].chunk.articlePath).toBe('billing/refund-policy.md');
  expect(hits[0]).toMatchObject({ mode: 'lexical', rank: 1, articleTitle: 'Refund policy (monthly plans)' });
});

test('retrieveContext gives the documents in retrieval order, with the oracle forced in or removed', async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: await sampleWiki() });
  const question = 'How long do I have to ask for a refund on a monthly plan?';
  const oracle = (await client.call('chunksOf', { path: 'billing/refund-policy.md' }))[0].id;
  const base = { question, mode: 'lexical' as const, oracleChunkIds: [oracle] };
  const retrieved = await client.call('retrieveContext', { ...base, options: { k: 3, oracle: 'retrieved', extraDistractors: 0 } });
  expect(retrieved.documents).toHaveLength(3);
  expect(retrieved.documents.map((d) => d.chunkId)).toEqual(retrieved.ranking.slice(0, 3));
  expect(retrieved.rankingArticles[0]).toBe(retrieved.documents[0].articlePath);
  const forced = await client.call('retrieveContext', { ...base, options: { k: 3, oracle: 'forced', extraDistractors: 1 } });
  expect(forced.documents).toHaveLength(4);
  expect(forced.documents.filter((d) => d.role === 'oracle').map((d) => d.chunkId)).toEqual([oracle]);
  const removed = await client.call('retrieveContext', { ...base, options: { k: 3, oracle: 'removed', extraDistractors: 0 } });
  expect(removed.documents.map((d) => d.chunkId)).not.toContain(oracle);
  expect(removed.documents).toHaveLength(3);
  const closedBook = await client.call('retrieveContext', { ...base, options: { k: 0, oracle: 'forced', extraDistractors: 0 } });
  expect(closedBook.documents).toEqual([]);
});

describe('bad input gets a clear reason and loses nothing already indexed', () => {
  test('each bad file is skipped with its reason; the good ones stay', async () => {
    const { client } = await openCorpus();
    await client.call('ingest', { files: [file('keep.md', '# Keep\n\nThis article must survive.')] });
    const big = new Uint8Array(50 * 1024 * 1024);
    const { report, summary } = await client.call('ingest', {
      files: [
        file('empty.md', ''),
        file('binary.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3])),
        file('huge.md', big),
        file('latin1.md', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b])),
        file('image.png', 'not markdown'),
        file('bad-yaml.md', '---\ntitle: [unclosed\n---\n# Body\n\nStill readable text.'),
        file('only-front-matter.md', '---\ntitle: Nothing here\n---\n'),
        file('script.md', '# Hi\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) and text.'),
        file('dup.md', '# First'),
        file('dup.md', '# Second'),
      ],
    });
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['empty.md']).toBe('empty file');
    expect(reasons['binary.md']).toMatch(/binary/);
    expect(reasons['huge.md']).toMatch(/too large \(50 MB; the limit is 10 MB/);
    expect(reasons['latin1.md']).toMatch(/UTF-8/);
    expect(reasons['image.png']).toMatch(/not a markdown or text file/);
    expect(reasons['dup.md']).toMatch(/dropped twice/);
    expect(report.warnings.find((w) => w.path === 'bad-yaml.md')?.message).toMatch(/YAML/);
    expect(report.warnings.find((w) => w.path === 'only-front-matter.md')).toBeDefined();
    expect(summary.articles.map((a) => a.path)).toContain('keep.md');
    const script = await client.call('chunksOf', { path: 'script.md' });
    const text = script.map((c) => c.text).join('\n');
    expect(text).not.toMatch(/alert|<script|javascript:/);
    expect(text).toContain('click');
  });

  test('re-dropping an unchanged file keeps its ids; a changed file replaces only its own chunks', async () => {
    const { client } = await openCorpus();
    // NOTE: sections above the chunk floor (32 tokens), so that each is a chunk of its own.
    const v1 = `# Guide\n\n## Alpha\n\n${'Alpha text stays. '.repeat(10)}\n\n## Beta\n\n${'Beta text goes. '.repeat(9)}Beta text before.`;
    await client.call('ingest', { files: [file('guide.md', v1), file('other.md', '# Other\n\nUntouched.')] });
    const before = await client.call('chunksOf', { path: 'guide.md' });
    const again = await client.call('ingest', { files: [file('guide.md', v1)] });
    expect(again.report.unchanged).toEqual(['guide.md']);
    const changed = await client.call('ingest', { files: [file('guide.md', v1.replace('before', 'after'))] });
    expect(changed.report.updated).toEqual(['guide.md']);
    const after = await client.call('chunksOf', { path: 'guide.md' });
    const alpha = (cs: typeof before) => cs.find((c) => c.text.includes('Alpha'))!.id;
    const beta = (cs: typeof before) => cs.find((c) => c.text.includes('Beta'))!.id;
    expect(alpha(after)).toBe(alpha(before));
    expect(beta(after)).not.toBe(beta(before));
    expect(changed.summary.articles.map((a) => a.path)).toEqual(['guide.md', 'other.md']);
  });
});

test('index with the tiny embedder, search densely and hybrid, reload without re-embedding', { timeout: 30_000 }, async () => {
  const first = await openCorpus();
  await first.client.call('ingest', { files: await sampleWiki() });
  await first.client.call('loadEmbedder', { source: await readModelFolder(EMBEDDER), options: FP32 });
  const progress: number[] = [];
  const indexed = await first.client.call('index', undefined, { onProgress: (p) => progress.push(p.done) });
  expect(indexed.embeddedCount).toBe(indexed.chunkCount);
  expect(progress.at(-1)).toBe(indexed.chunkCount);
  const dense = await first.client.call('search', { query: 'How do I request a refund?', mode: 'dense', k: 5 });
  expect(dense.hits).toHaveLength(5);
  expect(dense.engine?.engine).toBe('voy');
  expect(dense.hits[0].score).toBeGreaterThan(dense.hits[4].score);
  const hybrid = await first.client.call('search', { query: 'How do I request a refund?', mode: 'hybrid', k: 5 });
  expect(hybrid.hits.every((h) => h.mode === 'hybrid')).toBe(true);

  // Reload: a new worker over the same database has the vectors without embedding anything.
  const second = await openCorpus();
  expect(second.summary.embeddedCount).toBe(indexed.chunkCount);
  expect(second.summary.embedder.storedModel?.dim).toBe(64);
  // The picked folder is not stored with the corpus: the page passes the copy kept in the browser.
  const reloaded = await second.client.call('loadStoredEmbedder', { files: (await readModelFolder(EMBEDDER)).files });
  expect(reloaded.embedder.conflict).toBe(false);
  const again = await second.client.call('search', { query: 'How do I request a refund?', mode: 'dense', k: 5 });
  expect(again.hits.map((h) => h.chunkId)).toEqual(dense.hits.map((h) => h.chunkId));
  expect((await second.client.call('summary', undefined)).embeddedThisSession).toBe(0);
});

test('cancelled indexing resumes where it stopped', async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: await sampleWiki() });
  await client.call('loadEmbedder', { source: await readModelFolder(EMBEDDER), options: FP32 });
  const controller = new AbortController();
  const cancelled = client.call('index', undefined, { signal: controller.signal, onProgress: (p) => p.done >= 20 && controller.abort() });
  await expect(cancelled).rejects.toMatchObject({ name: 'CancelledError' });
  const partial = await client.call('summary', undefined);
  expect(partial.embeddedCount).toBeGreaterThanOrEqual(20);
  expect(partial.embeddedCount).toBeLessThan(partial.chunkCount);
  const totals: number[] = [];
  const done = await client.call('index', undefined, { onProgress: (p) => totals.push(p.total) });
  expect(totals[0]).toBe(partial.chunkCount - partial.embeddedCount);
  expect(done.embeddedCount).toBe(done.chunkCount);
});

test('dense search without a model says what to do; lexical works with no model at all', async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: [file('a.md', '# A\n\nSync conflicts create a copy.')] });
  await expect(client.call('search', { query: 'sync', mode: 'dense', k: 3 })).rejects.toThrow(/needs the embedding model/);
  expect((await client.call('search', { query: 'sync', mode: 'lexical', k: 3 })).hits).toHaveLength(1);
});

test('switching the embedding model waits for confirmation, never mixes vectors, then re-embeds', async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: [file('a.md', '# A\n\nRefunds take fourteen days.'), file('b.md', '# B\n\nSync runs every minute.')] });
  const original = await readModelFolder(EMBEDDER);
  await client.call('loadEmbedder', { source: original, options: FP32 });
  await client.call('index', undefined);
  // The same weights under another folder name count as another model: vectors are never assumed compatible.
  const other = { ...original, name: 'another-embedder' };
  const pending = await client.call('loadEmbedder', { source: other, options: FP32 });
  expect(pending.embedder.conflict).toBe(true);
  expect(pending.embeddedCount).toBe(pending.chunkCount);
  await expect(client.call('search', { query: 'refund', mode: 'dense', k: 2 })).rejects.toThrow(/belong to/);
  await expect(client.call('index', undefined)).rejects.toThrow(/Confirm re-embedding/);
  const adopted = await client.call('adoptEmbedder', undefined);
  expect(adopted.embedder.conflict).toBe(false);
  expect(adopted.embeddedCount).toBe(0);
  const reindexed = await client.call('index', undefined);
  expect(reindexed.embeddedCount).toBe(reindexed.chunkCount);
  expect((await client.call('search', { query: 'refund', mode: 'dense', k: 2 })).hits).toHaveLength(2);
});

test('a corpus chunked by older rules is re-chunked on opening, and its questions follow their quotes', async () => {
  // 1. A reference article of one-line sections, chunked as version 1 did (no floor), with a question on it.
  const sections = Array.from({ length: 40 }, (_, i) => `## Option ${i}\n\nSets the value number ${i} of the widget.`);
  const reference = file('reference.md', ['# Widget reference', ...sections].join('\n\n'));
  const { client } = await openCorpus();
  const old = { targetTokens: 200, maxTokens: 256, overlapTokens: 32 };
  await client.call('setSettings', { chunking: { ...old, minTokens: 0 } });
  const { summary: before } = await client.call('ingest', { files: [reference] });
  expect(before.chunkCount).toBe(40);
  const question = JSON.stringify({ question: 'What does option 17 set?', answer: 'Value number 17.', article: 'reference.md', quote: 'Sets the value number 17 of the widget.' });
  await client.call('importQuestions', { text: question, fileName: 'q.jsonl' });
  const [pair] = await client.call('listQuestions', undefined);
  client.terminate();
  // 2. What an older version left in IndexedDB: settings without a floor, no chunker version.
  const db = await openDatabase(workers.dbName());
  const repo = new CorpusRepo(db);
  await repo.setMeta('corpus-settings', { engine: 'auto', chunking: old });
  await db.delete('meta', 'corpus-chunker-version');
  db.close();
  // 3. Opening re-chunks with the floor; the pair is re-tied to the chunk that holds its quote.
  const { client: reopened, summary } = await openCorpus();
  expect(summary.settings.chunking).toEqual({ ...old, minTokens: 32 });
  expect(summary.chunkCount).toBeLessThan(15);
  const chunks = await reopened.call('chunksOf', { path: 'reference.md' });
  for (const c of chunks) expect(c.tokenCount).toBeGreaterThanOrEqual(32);
  const [after] = await reopened.call('listQuestions', undefined);
  expect(after.status).toBe('ok');
  expect(after.oracleChunkIds).not.toEqual(pair.oracleChunkIds);
  expect(chunks.find((c) => c.id === after.oracleChunkIds[0])!.text).toContain('Sets the value number 17 of the widget.');
  // 4. Opened again, nothing is re-chunked: the ids stay.
  const { client: third } = await openCorpus();
  expect((await third.call('chunksOf', { path: 'reference.md' })).map((c) => c.id)).toEqual(chunks.map((c) => c.id));
});

test('lexical search knows article titles and headings, after a reload and after a new title', async () => {
  const body = 'It takes five working days to arrive.';
  const article = (path: string, title: string) => file(path, `---\ntitle: ${title}\n---\n## Timing\n\n${body}`);
  const { client } = await openCorpus();
  await client.call('ingest', { files: [article('refunds.md', 'Refunds'), article('shipping.md', 'Shipping')] });
  const top = async (c: CorpusClient, query: string) => (await c.call('search', { query, mode: 'lexical', k: 2 })).hits.map((h) => h.chunk.articlePath);
  // The two chunks' texts are the same: only the title tells them apart.
  expect((await top(client, 'refund timing: how many days?'))[0]).toBe('refunds.md');
  expect((await top(client, 'shipping timing: how many days?'))[0]).toBe('shipping.md');
  const { client: reopened } = await openCorpus();
  expect((await top(reopened, 'how many days for shipping?'))[0]).toBe('shipping.md');
  // A new title in the front matter keeps the chunk's id; the index follows the title.
  const before = await reopened.call('chunksOf', { path: 'shipping.md' });
  await reopened.call('ingest', { files: [article('shipping.md', 'Deliveries')] });
  expect((await reopened.call('chunksOf', { path: 'shipping.md' })).map((c) => c.id)).toEqual(before.map((c) => c.id));
  expect(await top(reopened, 'delivery')).toEqual(['shipping.md']);
  expect(await top(reopened, 'shipping')).toEqual([]);
});
