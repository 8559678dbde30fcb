// The generation benchmark page: the app's GeneratorClient with its real Web Worker (chat template,
// WordStreamer, a progress message per word, Stop support) against the bench-only direct worker, on
// the same model and chat, timed from this page alternately.
import { GeneratorClient } from '../../src/lib/clients/generator';
import type { ChatMessage } from '../../src/lib/core/generation';
import type { Device, Dtype } from '../../src/lib/core/models';
import type { LoadProgress } from '../../src/lib/core/model-status';
import type { FromDirectGenerate, ToDirectGenerate } from './generate-protocol';

export interface GenerateBenchParams {
  /** Folder URL of the model, e.g. `${origin}/bench-models/llama/`. */
  modelUrl: string;
  device: Device;
  messages: ChatMessage[];
  maxNewTokens: number;
  repeats: number;
  /** Default fp32. */
  dtype?: Dtype;
  /** ORT Web threads for both workers (0 or absent: the app's automatic choice, and ORT's default for the direct one). */
  threads?: number;
  /** Skip the direct worker (a thread-count run that only needs the app's figures). */
  appOnly?: boolean;
  /** Default true: one untimed round first. */
  warmup?: boolean;
  /** Load the direct worker first (default: the app first). NOTE: the first model loaded in a page is seconds slower. */
  directFirst?: boolean;
}

export interface GenerateBenchResult {
  device: string;
  /** Caller-side milliseconds per run. */
  app: number[];
  direct: number[];
  appFirstToken: number[];
  directFirstToken: number[];
  appTokens: number;
  directTokens: number;
  appPieces: number;
  /** Milliseconds to load each side (caller-side, files served over HTTP). */
  appLoadMs: number;
  directLoadMs: number;
  /** When each file of the app's load finished, ms after its load began, and how many progress reports reached the page. */
  appFilesDoneMs: Record<string, number>;
  appProgressReports: number;
  crossOriginIsolated: boolean;
}

/** Lets the bench process sample memory at named points (exposed by the case; absent elsewhere). */
const mark = (label: string) => (window as unknown as { benchMark?: (label: string) => Promise<void> }).benchMark?.(label);

function directWorker() {
  const worker = new Worker(new URL('./direct-generate.worker.ts', import.meta.url), { type: 'module', name: 'direct-generate' });
  const call = (message: ToDirectGenerate) =>
    new Promise<FromDirectGenerate>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromDirectGenerate>) => (event.data.kind === 'error' ? reject(new Error(event.data.message)) : resolve(event.data));
      worker.postMessage(message);
    });
  return { call, terminate: () => worker.terminate() };
}

async function benchGenerate({ modelUrl, device, messages, maxNewTokens, repeats, dtype = 'fp32', threads, appOnly, warmup = true, directFirst = false }: GenerateBenchParams): Promise<GenerateBenchResult> {
  const app = new GeneratorClient();
  const direct = directWorker();
  try {
    // The app's own way to set threads: the worker's configure message (Settings → threads), before its first model.
    if (threads) await app.configure({ allowHub: false, threads });
    const parts = new URL(modelUrl).pathname.replace(/\/+$/, '').split('/');
    let directLoadMs = 0;
    // The direct worker runs where the app ended up (a WebGPU load may fall back to WASM), or as asked when it loads first.
    const loadDirect = async (on: Device) => {
      const start = performance.now();
      if (!appOnly) await direct.call({ kind: 'load', modelBase: parts.slice(0, -1).join('/') + '/', modelId: parts[parts.length - 1], device: on, dtype, threads });
      directLoadMs = performance.now() - start;
    };
    if (directFirst) await loadDirect(device);
    const start = performance.now();
    const appFilesDoneMs: Record<string, number> = {};
    let appProgressReports = 0;
    const onProgress = (p: LoadProgress) => {
      appProgressReports++;
      for (const f of p.files) if (f.done) appFilesDoneMs[f.file] ??= performance.now() - start;
    };
    const loaded = await app.load({ kind: 'url', url: modelUrl }, { device, dtype }, { onProgress });
    const appLoadMs = performance.now() - start;
    await mark('app loaded');
    if (!directFirst) await loadDirect(loaded.device.device);
    await mark('both loaded');
    const settings = { maxNewTokens, temperature: 0, topP: 1, greedy: true };
    const result: GenerateBenchResult = {
      device: loaded.device.reason,
      app: [], direct: [], appFirstToken: [], directFirstToken: [], appTokens: 0, directTokens: 0, appPieces: 0,
      appLoadMs, directLoadMs, appFilesDoneMs, appProgressReports, crossOriginIsolated: globalThis.crossOriginIsolated === true,
    };
    // NOTE: time to first token is taken inside each worker (the app's from its handler), as the app
    // streams words, not tokens, so the page sees the first word, not the first token.
    const runApp = async () => {
      const start = performance.now();
      let pieces = 0;
      const reply = await app.generate(messages, settings, { onToken: () => pieces++ });
      return { ms: performance.now() - start, first: reply.timeToFirstTokenMs, tokens: reply.tokens, pieces };
    };
    const runDirect = async () => {
      if (appOnly) return { ms: NaN, first: NaN, tokens: 0 };
      const start = performance.now();
      const reply = await direct.call({ kind: 'generate', messages, maxNewTokens });
      if (reply.kind !== 'generated') throw new Error('unexpected reply');
      return { ms: performance.now() - start, first: reply.firstTokenMs, tokens: reply.tokens };
    };
    // Round 0 is a warm-up (unless turned off); the order alternates so neither side always runs second.
    for (let r = warmup ? 0 : 1; r <= repeats; r++) {
      const [a, d] = r % 2 === 0 ? [await runApp(), await runDirect()] : [undefined, await runDirect()];
      const appRun = a ?? (await runApp());
      if (r === 0) continue;
      result.app.push(appRun.ms);
      result.direct.push(d.ms);
      result.appFirstToken.push(appRun.first);
      result.directFirstToken.push(d.first);
      result.appTokens = appRun.tokens;
      result.directTokens = d.tokens;
      result.appPieces = appRun.pieces;
    }
    return result;
  } finally {
    app.terminate();
    direct.terminate();
  }
}

(window as unknown as { benchGenerate: typeof benchGenerate }).benchGenerate = benchGenerate;
