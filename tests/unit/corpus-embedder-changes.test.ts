// What loading an embedding model changes, told and consistent (issue 14): its tokenizer re-chunks the corpus and
// the summary says how (chunks before and after, questions re-tied or orphaned); a folder picked on the device is
// not copied into the corpus, so after a reload it loads by itself only from the copy the user kept.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { rechunkMessage, rechunkWarning } from '../../src/lib/core/corpus/rechunk';
import { Corpus } from '../../src/lib/state/corpus.svelte';
import { openDatabase } from '../../src/lib/store/db';
import { CorpusRepo } from '../../src/lib/store/repos/corpus-repo';
import { corpusWorkers, sampleWikiFiles } from '../support/corpus-harness';

const WIKI = resolve(import.meta.dirname, '../../public/sample-wiki');
const EMBEDDER = resolve(import.meta.dirname, '../models/tiny/embedder');
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;

const workers = corpusWorkers('corpus-embedder');
const openCorpus = workers.open;
const sampleWiki = sampleWikiFiles;

test('loading an embedder re-chunks with its tokenizer, and the summary says how many chunks and what became of the questions', { timeout: 30_000 }, async () => {
  const { client } = await openCorpus();
  const { summary: before } = await client.call('ingest', { files: await sampleWiki() });
  expect(before.lastRechunk ?? null).toBeNull();
  const questions = await readFile(resolve(WIKI, 'questions.jsonl'), 'utf8');
  await client.call('importQuestions', { text: questions, fileName: 'questions.jsonl' });
  const ok = (await client.call('listQuestions', undefined)).filter((p) => p.status === 'ok');

  const after = await client.call('loadEmbedder', { source: await readModelFolder(EMBEDDER), options: FP32 });
  const report = after.lastRechunk!;
  expect(report).toMatchObject({ reason: 'embedder', model: after.embedder.loaded!.label, articles: before.articles.length, chunksBefore: before.chunkCount, chunksAfter: after.chunkCount });
  expect(report.chunksAfter).not.toBe(report.chunksBefore);
  // Every question that lost its chunk is counted: re-tied by its quote, or orphaned.
  const pairs = await client.call('listQuestions', undefined);
  const moved = ok.filter((p) => pairs.find((q) => q.id === p.id)!.oracleChunkIds.join() !== p.oracleChunkIds.join());
  expect(report.questionsReattached + report.questionsOrphaned).toBe(moved.length);
  expect(report.questionsOrphaned).toBe(pairs.filter((p) => p.status === 'orphaned').length);
  expect(moved.length).toBeGreaterThan(0);

  const message = rechunkMessage(report);
  expect(message).toContain(`re-chunked ${before.articles.length} articles, as chunk sizes are now counted with its tokenizer: ${before.chunkCount} → ${after.chunkCount} chunks.`);
  expect(message).toContain(`${moved.length} questions lost their chunk: ${report.questionsReattached} re-tied`);
  expect(message).toMatch(/A dataset built before holds the old chunks/);
  expect(rechunkWarning(before.articles.length, before.chunkCount)).toBe(`Loading one re-chunks your 25 articles (${before.chunkCount} chunks now) with its tokenizer, so the chunk count changes; questions follow their quote to the new chunks, and a notice says what changed.`);

  // Loading the same model again (a reload) re-chunks nothing, so nothing new is told.
  const { client: reopened } = await openCorpus();
  const again = await reopened.call('loadStoredEmbedder', { files: (await readModelFolder(EMBEDDER)).files });
  expect(again.lastRechunk ?? null).toBeNull();
  expect(again.chunkCount).toBe(after.chunkCount);
});

test('new chunk settings: the same report, with the reason', { timeout: 30_000 }, async () => {
  const { client } = await openCorpus();
  const { summary: before } = await client.call('ingest', { files: await sampleWiki() });
  const after = await client.call('setSettings', { chunking: { ...before.settings.chunking, targetTokens: 80, maxTokens: 100, overlapTokens: 10 } });
  expect(after.lastRechunk).toMatchObject({ reason: 'settings', chunksBefore: before.chunkCount, chunksAfter: after.chunkCount, questionsReattached: 0, questionsOrphaned: 0 });
  expect(rechunkMessage(after.lastRechunk!)).toMatch(/^The new chunk settings re-chunked 25 articles: \d+ → \d+ chunks\. No question lost its chunk\./);
});

test('a folder picked on the device is not copied into the corpus: after a reload it loads only from a kept copy', { timeout: 30_000 }, async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: await sampleWiki() });
  const folder = await readModelFolder(EMBEDDER);
  await client.call('loadEmbedder', { source: folder, options: FP32 });
  await client.call('index', undefined);
  client.terminate();

  // 1. What the database holds: the folder's name, none of its files.
  const db = await openDatabase(workers.dbName());
  const stored = await new CorpusRepo(db).getMeta<{ source: { kind: string; name: string; files: unknown[] } }>('corpus-embedder');
  db.close();
  expect(stored?.source).toEqual({ kind: 'files', name: folder.name, files: [] });

  // 2. After a reload: the summary names the folder; without a kept copy it refuses, saying what to do.
  const { client: second, summary } = await openCorpus();
  expect(summary.embedder.storedModel).toMatchObject({ folder: folder.name });
  await expect(second.call('loadStoredEmbedder', undefined)).rejects.toThrow(/came from a folder on this device that is not kept in the browser: pick the folder again on the Models page \(tick “Keep this model in the browser”/);
  // 3. With the kept copy's files, it loads and the stored vectors serve dense search (nothing re-embedded).
  const loaded = await second.call('loadStoredEmbedder', { files: folder.files });
  expect(loaded.embedder.conflict).toBe(false);
  expect(loaded.embeddedCount).toBe(loaded.chunkCount);
  expect((await second.call('search', { query: 'How do I request a refund?', mode: 'dense', k: 3 })).hits).toHaveLength(3);
  expect((await second.call('summary', undefined)).embeddedThisSession).toBe(0);
});

test('a hidden copy an older version stored is dropped on opening', { timeout: 30_000 }, async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: [{ path: 'a.md', blob: new Blob(['# A\n\nRefunds take fourteen days.']) }] });
  client.terminate();
  const folder = await readModelFolder(EMBEDDER);
  const db = await openDatabase(workers.dbName());
  await new CorpusRepo(db).setMeta('corpus-embedder', { key: 'k', label: 'tiny (local files)', dim: 64, source: folder, options: FP32 });
  db.close();
  const { summary } = await openCorpus();
  expect(summary.embedder.storedModel).toMatchObject({ label: 'tiny (local files)', folder: folder.name });
  const reread = await openDatabase(workers.dbName());
  const stored = await new CorpusRepo(reread).getMeta<{ source: { files: unknown[] } }>('corpus-embedder');
  reread.close();
  expect(stored?.source.files).toEqual([]);
});

test('after a reload the page loads the embedder by itself only from the kept copy; otherwise it says to pick the folder again', { timeout: 30_000 }, async () => {
  const { client } = await openCorpus();
  await client.call('ingest', { files: await sampleWiki() });
  const folder = await readModelFolder(EMBEDDER);
  const { embedder } = await client.call('loadEmbedder', { source: folder, options: FP32 });
  await client.call('index', undefined);
  client.terminate();

  const page = async (kept: typeof folder.files | null) => {
    const asked: string[] = [];
    const corpus = new Corpus({
      allowHub: () => false,
      create: workers.client,
      keptEmbedder: async (label) => (asked.push(label), kept),
    });
    await corpus.open(); // opening loads the stored vectors' model again, when it can
    while (corpus.restoring) await new Promise((r) => setTimeout(r, 20));
    return { corpus, asked };
  };
  // 1. Not kept: nothing loads, no error; the page names the folder to pick again.
  const unkept = await page(null);
  expect(unkept.asked).toEqual([embedder.storedModel!.label]);
  expect(unkept.corpus.summary?.embedder.loaded).toBeNull();
  expect(unkept.corpus.embedderError).toBe('');
  expect(unkept.corpus.unkeptFolder).toBe(folder.name);
  expect(unkept.corpus.denseUnavailable).toBe(`The stored vectors were made with ${embedder.storedModel!.label}, from a folder not kept in this browser: pick “${folder.name}” again on the Models page.`);
  // 2. Kept: it loads by itself from that copy, and the stored vectors serve dense search.
  const kept = await page(folder.files);
  expect(kept.corpus.summary?.embedder.loaded?.label).toBe(embedder.storedModel!.label);
  expect(kept.corpus.unkeptFolder).toBe('');
  expect(kept.corpus.denseUnavailable).toBeNull();
});
