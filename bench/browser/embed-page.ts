// The embedding benchmark page: the app's EmbedderClient with its real Web Worker, against the
// bench-only direct worker, on the same model and texts, timed from this page alternately.
import { EmbedderClient } from '../../src/lib/clients/embedder';
import type { Device, Dtype } from '../../src/lib/core/models';
import type { FromDirect, ToDirect } from './embed-protocol';

export interface EmbedBenchParams {
  /** Folder URL of the model, e.g. `${origin}/bench-models/embedder/`. */
  modelUrl: string;
  device: Device;
  dtype: Dtype;
  texts: string[];
  repeats: number;
}

export interface EmbedBenchResult {
  device: string;
  app: number[];
  direct: number[];
}

/** EmbedService's default batch size. */
const BATCH = 16;

function directWorker() {
  const worker = new Worker(new URL('./direct-embed.worker.ts', import.meta.url), { type: 'module', name: 'direct-embed' });
  const call = (message: ToDirect) =>
    new Promise<FromDirect>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromDirect>) => (event.data.kind === 'error' ? reject(new Error(event.data.message)) : resolve(event.data));
      worker.postMessage(message);
    });
  return { call, terminate: () => worker.terminate() };
}

async function benchEmbed({ modelUrl, device, dtype, texts, repeats }: EmbedBenchParams): Promise<EmbedBenchResult> {
  const app = new EmbedderClient();
  const direct = directWorker();
  try {
    const loaded = await app.load({ kind: 'url', url: modelUrl }, { device, dtype });
    // NOTE: a same-origin path, not a URL: transformers.js only probes local files (tokenizer_config.json) by path.
    const parts = new URL(modelUrl).pathname.replace(/\/+$/, '').split('/');
    await direct.call({ kind: 'load', modelBase: parts.slice(0, -1).join('/') + '/', modelId: parts[parts.length - 1], device: loaded.device.device, dtype });
    const times = { app: [] as number[], direct: [] as number[] };
    const runApp = async () => {
      const start = performance.now();
      await app.embed(texts);
      return performance.now() - start;
    };
    const runDirect = async () => {
      const start = performance.now();
      await direct.call({ kind: 'embed', texts, batchSize: BATCH });
      return performance.now() - start;
    };
    // The first round is a warm-up; the order alternates so neither side always runs second.
    for (let r = 0; r <= repeats; r++) {
      let a: number;
      let d: number;
      if (r % 2 === 0) {
        a = await runApp();
        d = await runDirect();
      } else {
        d = await runDirect();
        a = await runApp();
      }
      if (r === 0) continue;
      times.app.push(a);
      times.direct.push(d);
    }
    return { device: loaded.device.reason, ...times };
  } finally {
    app.terminate();
    direct.terminate();
  }
}

(window as unknown as { benchEmbed: typeof benchEmbed }).benchEmbed = benchEmbed;
