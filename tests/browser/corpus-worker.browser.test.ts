// The corpus worker in real Chromium: real IndexedDB, voy's wasm, the tiny embedder on this
// instance's backend. A "reload" is a fresh worker over the same database.
import { commands } from 'vitest/browser';
import { expect, inject, test } from 'vitest';
import { CorpusClient } from '../../src/lib/clients/corpus';
import type { ModelFile } from '../../src/lib/core/models';
import { syntheticWiki } from '../support/synthetic-wiki';

const backend = inject('backend');
const EMBEDDER = '/tests/models/tiny/embedder';
const EMBEDDER_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

/**
 * The sample wiki's files. NOTE: WebGPU here is SwiftShader on the CPU, about 0.02 s per chunk-token
 * batch row: the WebGPU instance indexes a few articles so the suite stays within minutes.
 */
async function sampleWiki() {
  const index = (await (await fetch('/sample-wiki/index.json')).json()) as { files: string[] };
  const files = backend === 'webgpu' ? index.files.filter((f) => f.startsWith('billing/')) : index.files;
  return Promise.all(files.map(async (path) => ({ path, blob: await (await fetch(`/sample-wiki/${path}`)).blob() })));
}

async function embedderFiles(): Promise<ModelFile[]> {
  return Promise.all(EMBEDDER_FILES.map(async (path) => ({ path, blob: await (await fetch(`${EMBEDDER}/${path}`)).blob() })));
}

test(`sample wiki: index with the tiny embedder on ${backend}, search three ways, reload without re-embedding`, { timeout: 120_000 }, async () => {
  // The app's own database name: this test clears it first.
  indexedDB.deleteDatabase('raft-playground');
  const first = new CorpusClient();
  try {
    await first.call('open', undefined);
    await first.call('clear', undefined);
    const { report } = await first.call('ingest', { files: await sampleWiki() });
    expect(report.added.length).toBe(backend === 'webgpu' ? 4 : 25);
    const loaded = await first.call('loadEmbedder', { source: { kind: 'files', name: 'tiny-embedder', files: await embedderFiles() }, options: { device: backend, dtype: 'fp32' } });
    expect(loaded.embedder.loaded?.device.device).toBe(backend);
    const progress: number[] = [];
    const indexed = await first.call('index', undefined, { onProgress: (p) => progress.push(p.done) });
    expect(indexed.embeddedCount).toBe(indexed.chunkCount);
    expect(new Set(progress).size).toBeGreaterThan(3);

    for (const mode of ['lexical', 'dense', 'hybrid'] as const) {
      const result = await first.call('search', { query: 'How many devices does the free plan sync?', mode, k: 5 });
      expect(result.hits).toHaveLength(5);
      expect(result.hits.every((h) => h.mode === mode)).toBe(true);
      if (mode !== 'lexical') expect(result.engine?.engine).toBe('voy');
    }
  } finally {
    first.terminate();
  }

  const second = new CorpusClient();
  try {
    const reopened = await second.call('open', undefined);
    expect(reopened.embeddedCount).toBe(reopened.chunkCount);
    // The picked folder is not stored with the corpus: the page passes the copy kept in the browser.
    await second.call('loadStoredEmbedder', { files: await embedderFiles() });
    const dense = await second.call('search', { query: 'How many devices does the free plan sync?', mode: 'dense', k: 5 });
    expect(dense.hits).toHaveLength(5);
    // Nothing was embedded again: only the query itself went through the model.
    expect((await second.call('summary', undefined)).embeddedThisSession).toBe(0);
  } finally {
    second.terminate();
  }
});

// WASM only: on SwiftShader's WebGPU a thousand chunks take many minutes.
test.runIf(backend === 'wasm')('a synthetic wiki of 170 articles (~1 MB) ingests, indexes ~1,000 chunks with moving progress and frames still coming (hang guard: 5 s), and is searchable', { timeout: 120_000 }, async () => {
  indexedDB.deleteDatabase('raft-playground');
  const corpus = new CorpusClient();
  try {
    await corpus.call('open', undefined);
    await corpus.call('clear', undefined);
    const files = syntheticWiki(170).map((f) => ({ path: f.path, blob: new Blob([f.text]) }));
    const bytes = files.reduce((n, f) => n + f.blob.size, 0);
    expect(bytes).toBeGreaterThan(900_000);
    const { report, summary } = await corpus.call('ingest', { files });
    expect(report.added).toHaveLength(170);
    expect(summary.chunkCount).toBeGreaterThanOrEqual(900);
    await corpus.call('loadEmbedder', { source: { kind: 'files', name: 'tiny-embedder', files: await embedderFiles() }, options: { device: backend, dtype: 'fp32' } });

    // The page stays responsive: frames keep coming while the worker embeds. Only a freeze fails this
    // (hang guard: no gap between frames over 5 s); how smooth the page stays is not judged here.
    let maxGap = 0;
    let last = performance.now();
    let frames = true;
    const tick = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (frames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const seen: number[] = [];
    const done = await corpus.call('index', undefined, { onProgress: (p) => seen.push(p.done) });
    frames = false;
    expect(done.embeddedCount).toBe(done.chunkCount);
    expect(seen.length).toBeGreaterThan(20);
    expect(maxGap, 'longest gap between frames while indexing (hang guard)').toBeLessThan(5_000);

    const hits = await corpus.call('search', { query: 'webhook retry timeout', mode: 'hybrid', k: 10 });
    expect(hits.hits).toHaveLength(10);
  } finally {
    corpus.terminate();
  }
});

test(`embeds from a folder URL on ${backend} as Node does (dense scores within 1e-4); indexing reports batches and can be cancelled`, { timeout: 120_000 }, async () => {
  indexedDB.deleteDatabase('raft-playground');
  // One short article per chunk, so each is its own batch: enough batches for a cancel to land between two.
  const texts = ['How do I request a refund?', 'Request a refund from the billing page.', 'The sync client uploads files every minute.'];
  for (let i = 0; texts.length < 24; i++) texts.push(`Note ${i}: invoices, devices and shared folders, item ${i * 7}.`);
  const articles = texts.map((text, i) => ({ path: `notes/${String(i).padStart(2, '0')}.md`, text }));
  const corpus = new CorpusClient();
  try {
    await corpus.call('open', undefined);
    await corpus.call('clear', undefined);
    await corpus.call('ingest', { files: articles.map((a) => ({ path: a.path, blob: new Blob([a.text]) })) });
    const loaded = await corpus.call('loadEmbedder', { source: { kind: 'url', url: EMBEDDER }, options: { device: backend, dtype: 'fp32' } });
    expect(loaded.embedder.loaded?.device.device).toBe(backend);
    expect(loaded.embedder.loaded?.device.reason).toMatch(backend === 'webgpu' ? /^WebGPU/ : /WASM/);

    const controller = new AbortController();
    const cancelled = corpus.call('index', undefined, { signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() });
    await expect(cancelled).rejects.toMatchObject({ name: 'CancelledError' });
    const partial = await corpus.call('summary', undefined);
    expect(partial.embeddedCount).toBeGreaterThan(0);
    expect(partial.embeddedCount).toBeLessThan(texts.length);
    const seen: number[] = [];
    const indexed = await corpus.call('index', undefined, { onProgress: (p) => seen.push(p.done) });
    expect(indexed.embeddedCount).toBe(texts.length);
    expect(seen.at(-1)).toBe(texts.length - partial.embeddedCount);
    expect(indexed.embedder.storedModel?.dim).toBe(64);

    // A chunk searched by its own text comes first with cosine 1: vectors are unit length, query and chunks alike.
    const [chunk] = await corpus.call('chunksOf', { path: articles[0].path });
    const { hits } = await corpus.call('search', { query: chunk.text, mode: 'dense', k: texts.length });
    expect(hits[0].chunkId).toBe(chunk.id);
    expect(hits[0].score).toBeCloseTo(1, 5);
    const reference = await commands.nodeDenseSearch('tiny/embedder', articles, chunk.text);
    expect(reference.dim).toBe(64);
    const nodeScores = new Map(reference.hits.map((h) => [h.chunkId, h.score]));
    expect(hits.map((h) => h.chunkId).sort()).toEqual([...nodeScores.keys()].sort());
    const maxDiff = Math.max(...hits.map((h) => Math.abs(h.score - nodeScores.get(h.chunkId)!)));
    expect(maxDiff).toBeLessThan(1e-4);
  } finally {
    corpus.terminate();
  }
});
