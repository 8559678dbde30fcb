// An article removed and added back (even at another path) takes its orphaned questions back: by the same
// content, else by the same file name and the pair's quote; the Remove confirmation counts what it would orphan.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { articleFileName, createReattacher, pairsOrphanedBy, rememberLost } from '../../src/lib/core/questions/reattach';
import type { QAPair } from '../../src/lib/core/questions/types';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';

const pair = (over: Partial<QAPair>): QAPair => ({
  id: 'q1',
  question: 'How long is the refund window?',
  answer: '14 days',
  oracleChunkIds: ['old-a'],
  split: 'unassigned',
  tags: [],
  origin: 'manual',
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
  ...over,
});
const chunk = (id: string, articlePath: string, text: string, contentHash = `h-${text}`) => ({ id, articlePath, text, contentHash });

describe('matching (core)', () => {
  test('a removed chunk is remembered on the pairs that lose it; unresolved pairs and pairs losing nothing stay the same objects', () => {
    const keep = pair({ id: 'q2', oracleChunkIds: ['other'] });
    const unresolved = pair({ id: 'q3', status: 'unresolved', oracleChunkIds: [] });
    const [lost, ...rest] = rememberLost([pair({}), keep, unresolved], new Map([['old-a', { articlePath: 'billing/refund-policy.md', contentHash: 'h1' }]]));
    expect(lost.lostOracle).toEqual([{ chunkId: 'old-a', articlePath: 'billing/refund-policy.md', contentHash: 'h1' }]);
    expect(rest).toEqual([keep, unresolved]);
    expect(rest[0]).toBe(keep);
  });

  test('the same content comes back at another path: tied to it, the oracle chunks that were not lost kept', () => {
    const orphan = pair({ status: 'orphaned', oracleChunkIds: ['old-a', 'stays'], lostOracle: [{ chunkId: 'old-a', articlePath: 'billing/refund-policy.md', contentHash: 'h1' }] });
    const reattach = createReattacher([chunk('stays', 'faq.md', 'x'), chunk('new-a', 'refund-policy.md', 'Refunds within 14 days.', 'h1')]);
    expect(reattach(orphan)).toEqual({ chunkIds: ['stays', 'new-a'], by: 'content' });
  });

  test('identical text in two articles: the one with the old file name wins; two equally good candidates tie nothing', () => {
    const orphan = pair({ status: 'orphaned', lostOracle: [{ chunkId: 'old-a', articlePath: 'billing/refund-policy.md', contentHash: 'h1' }] });
    expect(createReattacher([chunk('x', 'other.md', 't', 'h1'), chunk('y', 'Refund-Policy.md', 't', 'h1')])(orphan)).toEqual({ chunkIds: ['y'], by: 'content' });
    expect(createReattacher([chunk('x', 'a.md', 't', 'h1'), chunk('y', 'b.md', 't', 'h1')])(orphan)).toBeNull();
  });

  test('edited content, same file name: the chunk holding the quote (case and spacing aside), only in one article', () => {
    const orphan = pair({ status: 'orphaned', quote: 'within  14 days', lostOracle: [{ chunkId: 'old-a', articlePath: 'billing/refund-policy.md', contentHash: 'h1' }] });
    expect(createReattacher([chunk('n1', 'refund-policy.md', 'Intro.'), chunk('n2', 'refund-policy.md', 'Refunds WITHIN 14 days of payment.')])(orphan)).toEqual({ chunkIds: ['n2'], by: 'name-and-quote' });
    // No quote, another name, or the quote in two articles of that name: not tied.
    expect(createReattacher([chunk('n2', 'refund-policy.md', 'Refunds within 14 days.')])({ ...orphan, quote: undefined })).toBeNull();
    expect(createReattacher([chunk('n2', 'refunds.md', 'Refunds within 14 days.')])(orphan)).toBeNull();
    expect(createReattacher([chunk('n2', 'a/refund-policy.md', 'within 14 days'), chunk('n3', 'b/refund-policy.md', 'within 14 days')])(orphan)).toBeNull();
  });

  test('an ok pair, or an orphan that remembers nothing, is left to the other rules', () => {
    const reattach = createReattacher([chunk('new-a', 'refund-policy.md', 't', 'h1')]);
    expect(reattach(pair({ lostOracle: [{ chunkId: 'old-a', articlePath: 'refund-policy.md', contentHash: 'h1' }] }))).toBeNull();
    expect(reattach(pair({ status: 'orphaned' }))).toBeNull();
  });

  test('the pairs a removal would orphan, and file names', () => {
    const pairs = [pair({ id: 'a', oracleChunkIds: ['c1'] }), pair({ id: 'b', oracleChunkIds: ['c9'] }), pair({ id: 'c', status: 'orphaned', oracleChunkIds: ['c1'] })];
    expect(pairsOrphanedBy(pairs, ['c1', 'c2']).map((p) => p.id)).toEqual(['a']);
    expect(articleFileName('billing/Refund-Policy.md')).toBe('refund-policy');
  });
});

describe('in the corpus worker', () => {
  let client: CorpusClient | null = null;
  afterEach(() => client?.terminate());

  test('remove an article → its questions orphaned; add the same file back at the top level → tied again, after a reload too; likewise after Clear all', async () => {
    const dbName = `reattach-${Math.random()}`;
    const open = async () => {
      client?.terminate();
      const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(dbName)));
      client = new CorpusClient(endpoint, close);
      await client.call('open', undefined);
      return client;
    };
    const wiki = resolve(import.meta.dirname, '../../public/sample-wiki');
    const text = await readFile(resolve(wiki, 'billing/refund-policy.md'));
    const other = await readFile(resolve(wiki, 'billing/annual-billing.md'));
    let corpus = await open();
    await corpus.call('ingest', { files: [{ path: 'billing/refund-policy.md', blob: new Blob([text]) }, { path: 'billing/annual-billing.md', blob: new Blob([other]) }] });
    const [first] = await corpus.call('chunksOf', { path: 'billing/refund-policy.md' });
    // One pair tied by chunk id (no quote, no article: only the content can find it again).
    await corpus.call('importQuestions', { text: JSON.stringify({ question: 'What does the refund policy open with?', answer: 'x', chunk_id: first.id }), fileName: 'q.jsonl' });

    await corpus.call('removeArticle', { path: 'billing/refund-policy.md' });
    let [q] = await corpus.call('listQuestions', undefined);
    expect(q.status).toBe('orphaned');
    expect(q.lostOracle?.[0]).toMatchObject({ chunkId: first.id, articlePath: 'billing/refund-policy.md' });

    // A reload between removing and adding back: what was lost is stored with the pair.
    corpus = await open();
    await corpus.call('ingest', { files: [{ path: 'refund-policy.md', blob: new Blob([text]) }] });
    const [back] = await corpus.call('chunksOf', { path: 'refund-policy.md' });
    [q] = await corpus.call('listQuestions', undefined);
    expect(q).toMatchObject({ status: 'ok', oracleChunkIds: [back.id] });
    expect(q.lostOracle).toBeUndefined();
    expect(q.problem).toBeUndefined();

    // "Clear all", then the file again in a folder of another name: tied again as well.
    await corpus.call('clear', undefined);
    expect((await corpus.call('listQuestions', undefined))[0].status).toBe('orphaned');
    await corpus.call('ingest', { files: [{ path: 'docs/refund-policy.md', blob: new Blob([text]) }] });
    const [again] = await corpus.call('chunksOf', { path: 'docs/refund-policy.md' });
    expect((await corpus.call('listQuestions', undefined))[0]).toMatchObject({ status: 'ok', oracleChunkIds: [again.id] });
  });
});
