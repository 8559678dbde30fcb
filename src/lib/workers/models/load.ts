// The single model-loading path for every source (Hub id, folder URL, user files) and every
// consumer (embedding worker, generation worker, CLI): mount, validate, load with per-file progress,
// cancel, cache by key, and turn transformers.js/ORT failures into ModelLoadErrors that say what to do.
import { AutoConfig } from '@huggingface/transformers';
import { CancelledError, ModelLoadError } from '../../core/errors';
import {
  checkModelFolder,
  DTYPES,
  normaliseModelFiles,
  onnxFileFor,
  sourceKey,
  sourceLabel,
  type Dtype,
  type LoadOptions,
  type ModelSource,
  type ModelTask,
} from '../../core/models';
import { chooseDevice, type DeviceChoice } from './device';
import { filesResolver, mount, mountedId, resolveMounted, urlResolver } from './mounts';
import { withDownloadSignal } from './transformers-env';

/** Progress of one load: every file with its bytes, plus the overall fraction. */
export interface LoadProgress {
  files: { file: string; loaded: number; total: number; done: boolean }[];
  loaded: number;
  total: number;
  /** 0..1 over the files whose size is known. */
  fraction: number;
}

export interface LoadedInfo {
  key: string;
  label: string;
  device: DeviceChoice;
  dtype: Dtype;
  config: Record<string, unknown>;
}

export interface LoadRequest<T> {
  source: ModelSource;
  options: LoadOptions;
  task: ModelTask;
  /** Whether transformers.js can run this `model_type` for the task. */
  supports: (modelType: string) => boolean;
  /** Builds the model objects from the transformers.js id once the folder checked out. */
  create: (id: string, info: LoadedInfo, progress_callback: (event: unknown) => void) => Promise<T>;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

const loaded = new Map<string, Promise<{ value: unknown; info: LoadedInfo }>>();

/** Loads (or reuses) a model; a failed or cancelled load is evicted so a retry starts afresh. */
export function loadModel<T>(request: LoadRequest<T>): Promise<{ value: T; info: LoadedInfo }> {
  const { source } = request;
  if (source.kind === 'files') request = { ...request, source: { ...source, files: normaliseModelFiles(source.files) } };
  const key = `${request.task}|${sourceKey(request.source)}|${request.options.device}|${request.options.dtype}`;
  let pending = loaded.get(key);
  if (!pending) {
    pending = load(request, key);
    loaded.set(key, pending);
    pending.catch(() => loaded.delete(key));
  }
  return pending as Promise<{ value: T; info: LoadedInfo }>;
}

/** Forgets a loaded model (the caller disposes it), so memory is freed and the next load builds it again. */
export function forgetModel(key: string): void {
  loaded.delete(key);
}

async function load<T>(request: LoadRequest<T>, key: string): Promise<{ value: T; info: LoadedInfo }> {
  const { source, options, task } = request;
  const signal = request.signal ?? new AbortController().signal;
  // 1. Give the source the id transformers.js will ask for.
  const id = prepareSource(source);
  // 2. For folders we hold, check required files and the architecture before ORT sees anything.
  if (source.kind !== 'hub') await checkFolder(source, id, task, options.dtype, request.supports, signal);
  // 3. Choose the device and load with per-file progress.
  const device = await chooseDevice(options.device);
  const tracker = progressTracker(request.onProgress);
  const cancelled = new Promise<never>((_, reject) => {
    const fail = () => reject(new CancelledError('Model loading was cancelled.'));
    if (signal.aborted) fail();
    signal.addEventListener('abort', fail, { once: true });
  });
  try {
    return await Promise.race([
      withDownloadSignal(signal, async () => {
        const config = (await AutoConfig.from_pretrained(id, { revision: revisionOf(source) })) as unknown as Record<string, unknown>;
        const info: LoadedInfo = { key, label: sourceLabel(source), device, dtype: options.dtype, config: plainConfig(config) };
        const value = await request.create(id, info, tracker);
        if (signal.aborted) throw new CancelledError('Model loading was cancelled.');
        return { value, info };
      }),
      cancelled,
    ]);
  } catch (error) {
    throw explainLoadError(error, sourceLabel(source), options.dtype);
  }
}

function revisionOf(source: ModelSource): string | undefined {
  return source.kind === 'hub' ? source.revision : undefined;
}

function prepareSource(source: ModelSource): string {
  if (source.kind === 'hub') return source.id;
  const id = mountedId(source);
  if (source.kind === 'files') {
    if (source.files.length === 0) throw new ModelLoadError('No files were given for the model folder.', 'invalid-source');
    mount(id, filesResolver(source.files));
  } else {
    mount(id, urlResolver(folderUrl(source.url), globalThis.fetch.bind(globalThis)));
  }
  return id;
}

/** The absolute folder URL, ending in `/`, of a URL source (relative URLs resolve against the page). */
function folderUrl(text: string): string {
  try {
    const url = new URL(text, typeof location !== 'undefined' ? location.href : undefined);
    return url.href.replace(/\/+$/, '') + '/';
  } catch {
    throw new ModelLoadError(`"${text}" is not a valid URL of a model folder.`, 'invalid-source');
  }
}

async function checkFolder(
  source: Exclude<ModelSource, { kind: 'hub' }>,
  id: string,
  task: ModelTask,
  dtype: Dtype,
  supports: (t: string) => boolean,
  signal: AbortSignal,
): Promise<void> {
  let paths: string[];
  if (source.kind === 'files') {
    paths = source.files.map((f) => f.path);
  } else {
    // A URL folder has no listing: probe the files the check needs with HEAD requests.
    const base = folderUrl(source.url);
    const candidates = ['config.json', 'tokenizer.json', 'tokenizer_config.json', ...DTYPES.map(onnxFileFor)];
    const found = await Promise.all(
      candidates.map(async (p) => {
        const head = await fetch(new URL(p, base).href, { method: 'HEAD', signal }).catch(() => null);
        return head?.ok ? p : null;
      }),
    );
    paths = found.filter((p): p is string => p !== null);
  }
  let config: Record<string, unknown> | null = null;
  const configResponse = await resolveMounted(`${id}/config.json`, signal);
  if (configResponse) {
    try {
      config = JSON.parse(await configResponse.text());
    } catch {
      throw new ModelLoadError('config.json in the model folder is not valid JSON.', 'missing-file');
    }
  }
  const problem = checkModelFolder({ paths, config, task, dtype, supports });
  if (problem) throw new ModelLoadError(problem.message, problem.problem);
}

function progressTracker(onProgress?: (p: LoadProgress) => void): (event: unknown) => void {
  const files = new Map<string, { file: string; loaded: number; total: number; done: boolean }>();
  return (raw) => {
    const event = raw as { status?: string; file?: string; loaded?: number; total?: number };
    if (!event.file || !onProgress) return;
    const entry = files.get(event.file) ?? { file: event.file, loaded: 0, total: 0, done: false };
    if (event.status === 'progress') {
      entry.loaded = event.loaded ?? entry.loaded;
      entry.total = event.total ?? entry.total;
    } else if (event.status === 'done') {
      entry.done = true;
      entry.loaded = Math.max(entry.loaded, entry.total);
    } else if (event.status !== 'initiate' && event.status !== 'download') {
      return;
    }
    files.set(event.file, entry);
    const list = [...files.values()];
    const loaded = list.reduce((s, f) => s + f.loaded, 0);
    const total = list.reduce((s, f) => s + f.total, 0);
    onProgress({ files: list.map((f) => ({ ...f })), loaded, total, fraction: total > 0 ? loaded / total : 0 });
  };
}

function plainConfig(config: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config));
}

/** Maps raw runtime errors to ModelLoadErrors naming the problem; keeps typed errors as they are. */
export function explainLoadError(error: unknown, label: string, dtype: Dtype): Error {
  if (error instanceof ModelLoadError || error instanceof CancelledError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if ((error as Error)?.name === 'AbortError') return new CancelledError('Model loading was cancelled.');
  if (/protobuf parsing failed|failed to load model|invalid model|Can't create a session|ERROR_CODE: 7|no graph/i.test(message)) {
    return new ModelLoadError(`The ONNX file of ${label} (dtype ${dtype}) could not be read: it is corrupt, truncated or not an ONNX model. (${message})`, 'corrupt-onnx');
  }
  if (/Unsupported model type|not supported|Unknown model class/i.test(message)) {
    return new ModelLoadError(`${label}: ${message}`, 'unsupported-architecture');
  }
  if (/Could not locate file|file was not found|404/i.test(message)) {
    return new ModelLoadError(`A file of ${label} is missing: ${message}`, 'missing-file');
  }
  if (/Unsupported device/i.test(message)) return new ModelLoadError(message, 'unsupported-device');
  return new ModelLoadError(`Loading ${label} failed: ${message}`, 'unknown');
}
