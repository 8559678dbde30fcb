// Each export format against a reviewed fixture. Regenerate with UPDATE_FIXTURES=1 and review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import type { Chunk } from '../../src/lib/core/corpus/types';
import { datasetFiles } from '../../src/lib/core/formats/dataset-files';
import { EXPORT_FORMATS } from '../../src/lib/core/formats/raft-formats';
import { buildExamples, type BuildCorpus, type RaftPair } from '../../src/lib/core/raft/build';
import { DEFAULT_TEMPLATE } from '../../src/lib/core/raft/prompt';
import { DEFAULT_RAFT_PARAMS } from '../../src/lib/core/raft/types';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/formats');

const chunks: Chunk[] = [
  ['c_refund', 'refunds.md', ['Refunds', 'Eligibility'], 'Eligibility\nRefunds for monthly plans are available within 14 days of the first payment.'],
  ['c_annual', 'annual.md', ['Annual billing', 'Refunds'], 'Refunds\nAnnual plans can be refunded in full within 30 days of purchase.'],
  ['c_sync', 'sync.md', ['Sync', 'Devices'], 'Devices\nThe free plan syncs up to 3 devices.'],
  ['c_api', 'api.md', ['API', 'Limits'], 'Limits\nThe v1 API allows 60 requests per minute.'],
].map(([id, articlePath, headingPath, text], index) => ({ id, articlePath, headingPath, text, tokenCount: 12, contentHash: `h${index}`, index: 0 }) as Chunk);

const byId = new Map(chunks.map((c) => [c.id, c]));
const corpus: BuildCorpus = {
  chunk: (id) => byId.get(id),
  articleTitle: (path) => ({ 'refunds.md': 'Refund policy', 'annual.md': 'Annual billing', 'sync.md': 'How sync works', 'api.md': 'API limits' })[path] ?? path,
  chunkIdsOfArticle: (path) => chunks.filter((c) => c.articlePath === path).map((c) => c.id),
  allChunkIds: chunks.map((c) => c.id),
};
const pairs: RaftPair[] = [
  { id: 'q1', question: 'How long do I have to ask for a refund on a monthly plan?', answer: '14 days', oracleChunkIds: ['c_refund'], quote: 'available within 14 days of the first payment', split: 'train' },
  { id: 'q2', question: 'How many devices can the free plan sync?', answer: '3 devices', oracleChunkIds: ['c_sync'], split: 'test' },
];
const params = { ...DEFAULT_RAFT_PARAMS, distractors: 2, pOracle: 1, seed: 3 };
const examples = buildExamples(pairs, corpus, (pair) => ({ ranked: chunks.filter((c) => !pair.oracleChunkIds.includes(c.id)).map((c, i) => ({ chunkId: c.id, score: 0.9 - i / 10 })) }), params);

test.each(EXPORT_FORMATS)('%s export matches its fixture', (format) => {
  const files = datasetFiles({ examples, format, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks });
  for (const [name, text] of Object.entries(files)) {
    const path = resolve(FIXTURES, `${format}.${name}`);
    if (process.env.UPDATE_FIXTURES || !existsSync(path)) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  }
});

test('the documented fields of each format are there', () => {
  const row = (format: (typeof EXPORT_FORMATS)[number]) =>
    JSON.parse(datasetFiles({ examples, format, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks })['train.jsonl'].split('\n')[0]);
  expect(Object.keys(row('gorilla'))).toEqual(['id', 'type', 'question', 'context', 'oracle_context', 'cot_answer', 'instruction']);
  expect(row('gorilla').context.sentences[0]).toHaveLength(3);
  expect(row('gorilla').oracle_context).toBe(chunks[0].text);
  expect(row('gorilla').instruction).toMatch(/^<DOCUMENT>[\s\S]*<\/DOCUMENT>\nHow long do I have/);
  expect(row('chat').messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
  expect(Object.keys(row('completion'))).toEqual(['prompt', 'completion']);
  const manifest = JSON.parse(datasetFiles({ examples, format: 'chat', params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks })['manifest.json']);
  expect(manifest.counts).toMatchObject({ examples: 2, train: 1, test: 1, withOracle: 2, withoutOracle: 0 });
  expect(manifest.params.seed).toBe(3);
});
