// A pair's oracle is named the same way whether it was imported (the file may give the article without its
// folder), written or generated: the chunk's full article path, its headings and its place in the article.
import { describe, expect, test } from 'vitest';
import type { CorpusClient } from '../../src/lib/clients/corpus';
import type { Chunk } from '../../src/lib/core/chunking';
import { formatOracle } from '../../src/lib/core/questions/oracle-label';
import { OracleRefs } from '../../src/lib/state/oracle-refs.svelte';

function chunk(id: string, index: number, headingPath: string[]): Chunk {
  return { id, articlePath: 'billing/refund-policy.md', headingPath, index, text: `text of ${id}` } as Chunk;
}

const CHUNKS = [chunk('c3', 2, ['Refund policy', 'Annual plans']), chunk('c1', 0, ['Refund policy']), chunk('c2', 1, ['Refund policy', 'Request a refund'])];

/** The two corpus worker calls the page makes, over one article. */
function fakeClient(calls: string[]): CorpusClient {
  const call = async (name: string, params: { ids?: string[]; path?: string }) => {
    calls.push(name);
    if (name === 'chunkArticles') return params.ids!.map((id) => (CHUNKS.some((c) => c.id === id) ? 'billing/refund-policy.md' : null));
    if (name === 'chunksOf') return params.path === 'billing/refund-policy.md' ? CHUNKS : [];
    throw new Error(`unexpected call ${name}`);
  };
  return { call } as unknown as CorpusClient;
}

describe('oracle display', () => {
  test('imported and written pairs on the same chunk read alike, with the folder and the chunk named', async () => {
    const calls: string[] = [];
    const refs = new OracleRefs(() => fakeClient(calls));
    const imported = { oracleChunkIds: ['c2'], source: { file: 'questions.jsonl', line: 3, article: 'refund-policy.md' } };
    const written = { oracleChunkIds: ['c2'], source: { article: 'billing/refund-policy.md' } };
    expect(formatOracle(imported, refs.refs)).toBe('…'); // not read yet
    await refs.want([...imported.oracleChunkIds, ...written.oracleChunkIds]);
    const text = formatOracle(imported, refs.refs);
    expect(text).toBe('billing/refund-policy.md › Refund policy › Request a refund (chunk 2 of 3)');
    expect(formatOracle(written, refs.refs)).toBe(text);
    // Known ids are not read again.
    await refs.want(['c2']);
    expect(calls).toEqual(['chunkArticles', 'chunksOf']);
  });

  test('several oracle chunks, a chunk gone from the corpus, and no oracle at all', async () => {
    const refs = new OracleRefs(() => fakeClient([]));
    await refs.want(['c1', 'c3', 'gone']);
    expect(formatOracle({ oracleChunkIds: ['c1', 'c3'] }, refs.refs)).toBe('billing/refund-policy.md › Refund policy (chunk 1 of 3) + 1 more chunk');
    expect(formatOracle({ oracleChunkIds: ['c3', 'c1', 'c2'] }, refs.refs)).toMatch(/\(chunk 3 of 3\) \+ 2 more chunks$/);
    expect(formatOracle({ oracleChunkIds: ['gone'] }, refs.refs)).toBe('a chunk no longer in the corpus');
    expect(formatOracle({ oracleChunkIds: [] }, refs.refs)).toBe('no oracle chunk');
  });

  test('a read overtaken by a reload of the pairs is dropped; a failed read says so', async () => {
    const refs = new OracleRefs(() => fakeClient([]));
    const pending = refs.want(['c1']);
    refs.clear();
    await pending;
    expect(refs.refs.size).toBe(0);
    const failing = new OracleRefs(() => ({ call: async () => Promise.reject(new Error('worker gone')) }) as unknown as CorpusClient);
    await failing.want(['c1']);
    expect(failing.error).toBe('Could not read the oracle chunks: worker gone');
  });
});
