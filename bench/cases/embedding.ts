// Embedding in Node: chunks/s through the path the app embeds on (its corpus handlers in this process:
// ingest, load the embedder, index — chunks embedded in batches and stored in IndexedDB, as the CLI runs
// them) against a direct transformers.js feature-extraction pipeline on the same chunk texts and batches.
import 'fake-indexeddb/auto';
import { basename, dirname } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { INDEX_BATCH } from '../../src/lib/config/tunables';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';
import { syntheticWiki } from '../../tests/support/synthetic-wiki';
import type { BenchContext } from '../context';
import { compare, figure, rate, summarize, type Figure } from '../harness';
import { appModel, dtypeOf } from '../support/models';

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const articles = syntheticWiki(ctx.quick ? 4 : 32, 950);
  const files = () => articles.map((a) => ({ path: a.path, blob: new Blob([a.text]) }));
  const dtype = await dtypeOf(ctx.embedderFolder);
  // 1. Direct first: the app's configureTransformers() later rewires env (custom cache, no local paths).
  ctx.log(`loading ${basename(ctx.embedderFolder)} (${dtype}) directly`);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(ctx.embedderFolder) + '/';
  const extractor = (await pipeline('feature-extraction', basename(ctx.embedderFolder), { dtype, device: 'cpu' })) as FeatureExtractionPipeline;
  // 2. The app's corpus over its worker protocol, in this process, on a fresh (fake) IndexedDB.
  ctx.log('loading it into the app’s corpus');
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`raft-bench-embedding-${process.pid}`)));
  const corpus = new CorpusClient(endpoint, close);
  try {
    await corpus.call('open', undefined);
    await corpus.call('ingest', { files: files() });
    const { source, options } = await appModel(ctx.embedderFolder);
    const summary = await corpus.call('loadEmbedder', { source, options });
    // The texts the corpus embeds, grouped as it batches them: per article, at most INDEX_BATCH.
    const groups: string[][] = [];
    for (const article of summary.articles) {
      const texts = (await corpus.call('chunksOf', { path: article.path })).map((c) => c.text);
      for (let i = 0; i < texts.length; i += INDEX_BATCH) groups.push(texts.slice(i, i + INDEX_BATCH));
    }
    const count = groups.reduce((n, g) => n + g.length, 0);
    // NOTE: clearing and re-ingesting (untimed) makes every chunk new, so each timed index embeds all of them.
    let untimed = 0;
    const app = async () => {
      const begin = performance.now();
      await corpus.call('clear', undefined);
      await corpus.call('ingest', { files: files() });
      untimed += performance.now() - begin;
      const after = await corpus.call('index', undefined).catch(async () => {
        await corpus.call('adoptEmbedder', undefined);
        return corpus.call('index', undefined);
      });
      if (after.embeddedCount !== count) throw new Error(`the corpus embedded ${after.embeddedCount} chunks, the direct pipeline ${count}`);
    };
    const direct = async () => {
      for (const texts of groups) await extractor(texts, { pooling: 'mean', normalize: true });
    };
    ctx.log(`embedding ${count} chunks, app and direct alternately`);
    const repeats = ctx.quick ? 2 : 7;
    const timed = await compare(app, direct, { warmup: 1, repeats });
    // Take the untimed clear + ingest out of the app's side (it was measured around each run).
    const perRun = untimed / (repeats + 1);
    const appMs = { ...timed.a, median: timed.a.median - perRun, min: timed.a.min - perRun, max: timed.a.max - perRun };
    const ratio = summarize(timed.samples.a.map((t, i) => (t - perRun) / timed.samples.b[i]));
    const note = `${count} chunks of ${articles.length} synthetic articles, batches of ≤ ${INDEX_BATCH} per article, ${dtype}, onnxruntime-node CPU; app time excludes its clear + re-ingest (~${perRun.toFixed(0)} ms a run)`;
    return [
      figure('Node: app (corpus handlers: index, stored in IndexedDB)', 'chunks/s', rate(appMs, count), { note }),
      figure('Node: direct transformers.js pipeline()', 'chunks/s', rate(timed.b, count)),
      figure('Node: app ÷ direct time', '×', ratio, { target: { text: '≤ 1.10', atMost: 1.1 } }),
    ];
  } finally {
    corpus.terminate();
  }
}
