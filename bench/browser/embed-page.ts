// The embedding benchmark page: the path the app embeds on (its corpus worker: ingest, load the
// embedder, index — chunks embedded in batches and stored in IndexedDB) against the bench-only direct
// worker embedding the same chunk texts in the same batches, timed from this page alternately.
import { CorpusClient } from '../../src/lib/clients/corpus';
import { INDEX_BATCH } from '../../src/lib/config/tunables';
import type { Device, Dtype } from '../../src/lib/core/models';
import type { FromDirect, ToDirect } from './embed-protocol';

export interface EmbedBenchParams {
  /** Folder URL of the model, e.g. `${origin}/bench-models/embedder/`. */
  modelUrl: string;
  device: Device;
  dtype: Dtype;
  /** Markdown articles to ingest (path, text); the corpus worker chunks them as the app does. */
  articles: { path: string; text: string }[];
  repeats: number;
  /** ORT Web threads for both workers (absent: the app's automatic choice, ORT's default for the direct one). */
  threads?: number;
}

export interface EmbedBenchResult {
  device: string;
  chunks: number;
  app: number[];
  direct: number[];
  appLoadMs: number;
  directLoadMs: number;
  crossOriginIsolated: boolean;
}

const mark = (label: string) => (window as unknown as { benchMark?: (label: string) => Promise<void> }).benchMark?.(label);

function directWorker() {
  const worker = new Worker(new URL('./direct-embed.worker.ts', import.meta.url), { type: 'module', name: 'direct-embed' });
  const call = (message: ToDirect) =>
    new Promise<FromDirect>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromDirect>) => (event.data.kind === 'error' ? reject(new Error(event.data.message)) : resolve(event.data));
      worker.postMessage(message);
    });
  return { call, terminate: () => worker.terminate() };
}

async function benchEmbed({ modelUrl, device, dtype, articles, repeats, threads }: EmbedBenchParams): Promise<EmbedBenchResult> {
  const corpus = new CorpusClient();
  const direct = directWorker();
  const files = () => articles.map((a) => ({ path: a.path, blob: new Blob([a.text], { type: 'text/markdown' }) }));
  try {
    await corpus.call('open', undefined);
    await corpus.call('configure', { allowHub: false, ...(threads ? { threads } : {}) });
    await corpus.call('ingest', { files: files() });
    let start = performance.now();
    const summary = await corpus.call('loadEmbedder', { source: { kind: 'url', url: modelUrl }, options: { device, dtype } });
    const appLoadMs = performance.now() - start;
    await mark('app loaded');
    const parts = new URL(modelUrl).pathname.replace(/\/+$/, '').split('/');
    const loadedDevice = summary.embedder.loaded?.device;
    start = performance.now();
    await direct.call({ kind: 'load', modelBase: parts.slice(0, -1).join('/') + '/', modelId: parts[parts.length - 1], device: loadedDevice?.device ?? device, dtype, threads });
    const directLoadMs = performance.now() - start;
    await mark('both loaded');
    // The texts the corpus worker embeds, grouped as it batches them: per article, at most INDEX_BATCH.
    const groups: string[][] = [];
    for (const article of summary.articles) {
      const texts = (await corpus.call('chunksOf', { path: article.path })).map((c) => c.text);
      for (let i = 0; i < texts.length; i += INDEX_BATCH) groups.push(texts.slice(i, i + INDEX_BATCH));
    }
    const chunks = groups.reduce((n, g) => n + g.length, 0);
    const runApp = async () => {
      // NOTE: a cleared corpus re-ingested: every chunk is new, so index embeds (and stores) all of them.
      await corpus.call('clear', undefined);
      await corpus.call('ingest', { files: files() });
      const start = performance.now();
      const after = await corpus.call('index', undefined).catch(async () => {
        await corpus.call('adoptEmbedder', undefined);
        return corpus.call('index', undefined);
      });
      const ms = performance.now() - start;
      if (after.embeddedCount !== chunks) throw new Error(`the corpus embedded ${after.embeddedCount} chunks, the direct worker ${chunks}`);
      return ms;
    };
    const runDirect = async () => {
      const start = performance.now();
      for (const texts of groups) await direct.call({ kind: 'embed', texts, batchSize: INDEX_BATCH });
      return performance.now() - start;
    };
    const times = { app: [] as number[], direct: [] as number[] };
    // The first round is a warm-up; the order alternates so neither side always runs second.
    for (let r = 0; r <= repeats; r++) {
      const [a, d] = r % 2 === 0 ? [await runApp(), await runDirect()] : [NaN, await runDirect()];
      const app = Number.isNaN(a) ? await runApp() : a;
      if (r === 0) continue;
      times.app.push(app);
      times.direct.push(d);
    }
    return { device: loadedDevice?.reason ?? device, chunks, ...times, appLoadMs, directLoadMs, crossOriginIsolated: globalThis.crossOriginIsolated === true };
  } finally {
    corpus.terminate();
    direct.terminate();
  }
}

(window as unknown as { benchEmbed: typeof benchEmbed }).benchEmbed = benchEmbed;
