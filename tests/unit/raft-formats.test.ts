// Each export format against a reviewed fixture. Regenerate with UPDATE_FIXTURES=1 and review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import type { Chunk } from '../../src/lib/core/corpus/types';
import { datasetFiles } from '../../src/lib/core/formats/dataset-files';
import { MANIFEST_VERSION, questionsFingerprint } from '../../src/lib/core/formats/manifest';
import { COMPLETION_SEPARATOR, COMPLETION_STOP, EXPORT_FORMATS, exampleToRow } from '../../src/lib/core/formats/raft-formats';
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
  // A multi-chunk oracle: the answer needs both chunks; the quote is in the first.
  { id: 'q3', question: 'How many requests per minute does the v1 API allow on the free plan?', answer: '60', oracleChunkIds: ['c_api', 'c_sync'], quote: 'allows 60 requests per minute', split: 'train' },
];
const params = { ...DEFAULT_RAFT_PARAMS, distractors: 2, pOracle: 1, seed: 3 };
const examples = buildExamples(pairs, corpus, (pair) => ({ ranked: chunks.filter((c) => !pair.oracleChunkIds.includes(c.id)).map((c, i) => ({ chunkId: c.id, score: 0.9 - i / 10 })) }), params);

test.each(EXPORT_FORMATS)('%s export matches its fixture', (format) => {
  const files = datasetFiles({ examples, format, pairs, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks });
  for (const [name, text] of Object.entries(files)) {
    const path = resolve(FIXTURES, `${format}.${name}`);
    if (process.env.UPDATE_FIXTURES || !existsSync(path)) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  }
});

test('the documented fields of each format are there', () => {
  const row = (format: (typeof EXPORT_FORMATS)[number]) =>
    JSON.parse(datasetFiles({ examples, format, pairs, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks })['train.jsonl'].split('\n')[0]);
  expect(Object.keys(row('gorilla'))).toEqual(['id', 'type', 'question', 'context', 'oracle_context', 'cot_answer', 'instruction']);
  expect(row('gorilla').context.sentences[0]).toHaveLength(3);
  expect(row('gorilla').oracle_context).toBe(chunks[0].text);
  expect(row('gorilla').instruction).toMatch(/^<DOCUMENT>[\s\S]*<\/DOCUMENT>\nHow long do I have/);
  expect(row('chat').messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
  expect(Object.keys(row('completion'))).toEqual(['prompt', 'completion']);
  const manifest = JSON.parse(datasetFiles({ examples, format: 'chat', pairs, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks })['manifest.json']);
  expect(manifest.counts).toMatchObject({ examples: 3, train: 2, test: 1, withOracle: 3, withoutOracle: 0 });
  expect(manifest.params.seed).toBe(3);
});

const oracleText = (id: string) => byId.get(id)?.text ?? '';
const multi = examples.find((e) => e.pairId === 'q3')!;

test('a multi-chunk oracle gives the oracle_context of the chunk holding the quote, one of the documents', () => {
  const row = exampleToRow(multi, 'gorilla', DEFAULT_TEMPLATE, oracleText) as { oracle_context: string; context: { sentences: string[][] } };
  expect(multi.documents.filter((d) => d.role === 'oracle')).toHaveLength(2);
  expect(row.oracle_context).toBe(byId.get('c_api')!.text);
  expect(row.context.sentences[0]).toContain(row.oracle_context);
  // An answer quoting the second oracle chunk (as a model may write it) points oracle_context there.
  const quoted = { ...multi, quotes: [{ text: 'syncs up to 3 devices', documentIndex: 0 }] };
  expect((exampleToRow(quoted, 'gorilla', DEFAULT_TEMPLATE, oracleText) as { oracle_context: string }).oracle_context).toBe(byId.get('c_sync')!.text);
  // No quote at all (an answer without the oracle): the first oracle chunk.
  expect((exampleToRow({ ...multi, quotes: [] }, 'gorilla', DEFAULT_TEMPLATE, oracleText) as { oracle_context: string }).oracle_context).toBe(byId.get('c_api')!.text);
});

test("gorilla's instruction keeps gorilla's layout whatever the template; the question is its last line", () => {
  const custom = { system: 'Answer briefly.', document: '[{title}] {text}\n', user: 'Question: {question}\n\n{documents}' };
  const example = { ...examples[0], question: 'How long do I have\nto ask for a refund?' };
  const row = exampleToRow(example, 'gorilla', custom, oracleText) as { instruction: string; question: string };
  const documents = example.documents.map((d) => `<DOCUMENT>${d.text}</DOCUMENT>`);
  expect(row.instruction).toBe(documents.join('\n') + '\nHow long do I have to ask for a refund?');
  expect(row.question).toBe(example.question);
  // What gorilla format.py's eval output does: every line but the last is the context.
  expect(row.instruction.split('\n').slice(0, -1).join('\n')).toBe(documents.join('\n'));
});

test('completion prompts end with the separator and completions with the stop sequence; chat is unchanged', () => {
  const completion = exampleToRow(examples[0], 'completion', DEFAULT_TEMPLATE, oracleText) as { prompt: string; completion: string };
  expect(completion.prompt.endsWith(`${examples[0].question}${COMPLETION_SEPARATOR}`)).toBe(true);
  expect(completion.completion).toBe(` ${examples[0].cotAnswer}${COMPLETION_STOP}`);
  const chat = exampleToRow(examples[0], 'chat', DEFAULT_TEMPLATE, oracleText) as { messages: { content: string }[] };
  expect(chat.messages[1].content.endsWith(examples[0].question)).toBe(true);
  expect(chat.messages[2].content).toBe(examples[0].cotAnswer);
});

test('the manifest fingerprints the questions by content and counts model-written chain-of-thought', () => {
  const manifestOf = (input: Partial<Parameters<typeof datasetFiles>[0]> = {}) =>
    JSON.parse(datasetFiles({ examples, format: 'completion', pairs, params, template: DEFAULT_TEMPLATE, models: { embedder: null, generator: null }, chunks, ...input })['manifest.json']);
  const base = manifestOf();
  expect(base.version).toBe(MANIFEST_VERSION);
  expect(base.completion).toEqual({ separator: COMPLETION_SEPARATOR, stop: COMPLETION_STOP });
  expect(base.split).toEqual({ method: 'given', testFraction: null, seed: null, byArticle: null });
  expect(base.cot).toEqual({ source: 'template', model: null, settings: null, written: 0, fellBack: 0 });
  // Order and file do not matter; one edited answer, quote or split does.
  expect(manifestOf({ pairs: [...pairs].reverse() }).questionsFingerprint).toBe(base.questionsFingerprint);
  const edited = (change: Partial<RaftPair>) => manifestOf({ pairs: pairs.map((p, i) => (i === 1 ? { ...p, ...change } : p)) }).questionsFingerprint;
  for (const change of [{ answer: '3' }, { quote: 'up to 3 devices' }, { split: 'train' as const }, { question: 'How many devices sync?' }]) {
    expect(edited(change), JSON.stringify(change)).not.toBe(base.questionsFingerprint);
  }
  expect(questionsFingerprint(pairs)).toBe(base.questionsFingerprint);
  // Examples a model wrote, or that fell back to the template, are counted with the writer's settings.
  const written = examples.map((e, i) => ({ ...e, cot: i === 0 ? { origin: 'model' as const, model: 'm', attempts: 1 } : { origin: 'fallback' as const, model: 'm', attempts: 3, rejections: ['x', 'y', 'z'] } }));
  const cot = manifestOf({ examples: written, cot: { source: 'endpoint', model: 'm', settings: null } }).cot;
  expect(cot).toEqual({ source: 'endpoint', model: 'm', settings: null, written: 1, fellBack: 2 });
});
