// The one place that configures transformers.js: where ORT's wasm comes from and how many threads it
// runs, whether the Hub may be reached, how cache lookups are answered, and how downloads are cancelled.
import { env } from '@huggingface/transformers';
import { resolveMounted, isMounted, parseMountedKey } from './mounts';
import { messageOf, ModelLoadError } from '../../core/errors';
import { canonicalHubKey } from '../../core/model-cache';
import { HUB_CACHE } from '../../store/model-storage';
import { threadsHere } from '../../config/device';
import type { ThreadsChoice, ThreadsPreference } from '../../core/threads';

export interface TransformersSetup {
  /** URLs of the onnxruntime-web asyncify build bundled with the app (browser only). */
  wasmPaths?: { mjs: string; wasm: string };
  /** Whether models may be downloaded from the Hugging Face Hub. */
  allowHub: boolean;
  /** ONNX Runtime Web's threads (browser only): 0 or absent is automatic. */
  threads?: ThreadsPreference;
}

const nativeFetch: typeof fetch = globalThis.fetch.bind(globalThis);
let allowHub = true;
let configured = false;
/** Set once the first model load begins: ORT reads its thread count when it starts, never again. */
let runtimeStarted = false;
let threads: ThreadsChoice | undefined;
/** Signals of the loads in progress: a cancelled load aborts its downloads. */
const activeSignals = new Set<AbortSignal>();

export function configureTransformers(setup: TransformersSetup): void {
  allowHub = setup.allowHub;
  if (configured) return;
  configured = true;
  if (setup.wasmPaths) {
    const wasm = onnxWasm();
    if (wasm) wasm.wasmPaths = { ...setup.wasmPaths };
    setThreads(setup.threads ?? 0);
  }
  // NOTE: local-path lookups are off; every non-Hub model is mounted and answered by the cache below,
  // so the Hub switch and cancellation have exactly one place to act.
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = false;
  env.useFSCache = false;
  env.useCustomCache = true;
  env.customCache = modelCache;
  env.fetch = guardedFetch;
}

export function setHubAllowed(allowed: boolean): void {
  allowHub = allowed;
}

function onnxWasm(): { wasmPaths?: unknown; numThreads?: number } | undefined {
  return (env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } }).wasm;
}

/**
 * Sets ORT's thread count from the preference, cores and isolation, in the browser (in Node onnxruntime-node
 * picks its own). NOTE: only before the first session: ORT starts its thread pool once per worker.
 */
export function setThreads(preference: ThreadsPreference): void {
  const wasm = onnxWasm();
  if (!wasm || !wasm.wasmPaths || runtimeStarted) return;
  threads = threadsHere(preference);
  wasm.numThreads = threads.threads;
}

/** The threads ORT runs (or will run) with in this worker, and why only one; undefined in Node. */
export function threadsInUse(): ThreadsChoice | undefined {
  return threads;
}

/** The page's settings for this worker (the `configure` message). */
export function applyWorkerSettings(settings: { allowHub: boolean; threads?: ThreadsPreference }): void {
  setHubAllowed(settings.allowHub);
  if (settings.threads !== undefined) setThreads(settings.threads);
}

/** Called as a model load begins: from now on the thread count is fixed. */
export function markRuntimeStarted(): void {
  runtimeStarted = true;
}

/** Runs `work` with `signal` attached to every download it starts. */
export async function withDownloadSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  activeSignals.add(signal);
  try {
    return await work();
  } finally {
    activeSignals.delete(signal);
  }
}

function currentSignal(): AbortSignal | undefined {
  const signals = [...activeSignals];
  return signals.length ? AbortSignal.any(signals) : undefined;
}

async function guardedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  // A mounted folder that lacks an optional file: answer 404 here, never ask the Hub.
  if (parseMountedKey(url)) return new Response(null, { status: 404 });
  const sameOrigin = typeof location !== 'undefined' && new URL(url, location.href).origin === location.origin;
  if (!sameOrigin && !allowHub) {
    throw new ModelLoadError(
      `Downloading from the Hugging Face Hub is switched off (Settings), so ${url} was not requested. Switch it on, or load a local model folder.`,
      'hub-disabled',
    );
  }
  try {
    return await nativeFetch(input, { ...init, signal: init?.signal ?? currentSignal() });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ModelLoadError(`Could not download ${url}: ${messageOf(error)}. Check your connection, or load a local model folder.`, 'network');
  }
}

/** Browser Cache API for Hub downloads, when there is one (not in Node). */
let hubCache: Promise<Cache | null> | null = null;
function openHubCache(): Promise<Cache | null> {
  hubCache ??= typeof caches === 'undefined' ? Promise.resolve(null) : caches.open(HUB_CACHE).catch(() => null);
  return hubCache;
}

/**
 * The `env.customCache` object: mounted folders first, then the Hub download cache, where every file
 * is kept under one canonical URL so the model manager can tell its model id and revision.
 */
const modelCache = {
  async match(key: string): Promise<Response | undefined> {
    const mounted = await resolveMounted(key, currentSignal());
    if (mounted !== null) return mounted;
    return (await (await openHubCache())?.match(canonicalHubKey(key, env.remoteHost))) ?? undefined;
  },
  /** transformers.js passes `progress` when the cache reads the body itself (Node): report as it streams. */
  async put(key: string, response: Response, progress?: (p: { progress: number; loaded: number; total: number }) => void): Promise<void> {
    const id = parseMountedKey(key)?.id;
    if (id && isMounted(id)) return;
    const cache = await openHubCache();
    await cache?.put(canonicalHubKey(key, env.remoteHost), progress ? withProgress(response, progress) : response);
  },
};

/** The same response, reporting the bytes read from its body. */
function withProgress(response: Response, progress: (p: { progress: number; loaded: number; total: number }) => void): Response {
  if (!response.body) return response;
  const total = Number(response.headers.get('content-length')) || 0;
  let loaded = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      progress({ progress: total ? (loaded / total) * 100 : 0, loaded, total: Math.max(total, loaded) });
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), { status: response.status, statusText: response.statusText, headers: response.headers });
}

export { env };
