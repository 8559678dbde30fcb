// The single model-loading path for every source (Hub id, folder URL, user files) and every
// consumer (corpus worker, generation worker, CLI): mount, validate, decide the device, load with
// per-file progress, cancel, cache by key, and turn transformers.js/ORT failures into ModelLoadErrors
// that say what to do. WebGPU falls back to WASM, with the reason, when it cannot take the model.
import { AutoConfig } from '@huggingface/transformers';
import { CancelledError, messageOf, ModelLoadError } from '../../core/errors';
import { normaliseModelFiles, onnxFileFor, sourceKey, sourceLabel, type Dtype, type LoadOptions, type ModelSource, type ModelTask } from '../../core/models';
import { checkModelRole } from '../../core/model-role';
import { smallerDtypeAdvice } from '../../core/dtype-choice';
import { decideFit, embeddingBytes, onnxFilesOf, type FitDecision } from '../../core/onnx/model-fit';
import { checkFolder, checkSessionInputs, corruptOnnx, type FolderFacts } from './checks';
import { chooseDevice, currentRuntime, deviceMemoryGiB, wasmFallback, type DeviceChoice, type DeviceDecision } from '../../config/device';
import { filesResolver, mount, mountedId, urlResolver } from './mounts';
import { progressTracker, type FileSizes, type LoadProgress } from './progress';
import type { LoadedModel } from './protocol';
import { markRuntimeStarted, threadsInUse, withDownloadSignal } from './transformers-env';
import { describeThreads } from '../../core/threads';

export type { LoadProgress };

export interface LoadedInfo {
  key: string;
  label: string;
  device: DeviceChoice;
  dtype: Dtype;
  config: Record<string, unknown>;
  /** Bytes of the ONNX files loaded, when known. */
  bytes?: number;
  /** A hint worth showing (e.g. the device reports little memory); empty when none. */
  warning?: string;
}

export interface LoadRequest<T> {
  source: ModelSource;
  options: LoadOptions;
  task: ModelTask;
  /** Whether transformers.js can run this `model_type` for the task. */
  supports: (modelType: string) => boolean;
  /** Builds the model objects from the transformers.js id once the folder checked out. */
  create: (id: string, info: LoadedInfo, progress_callback: (event: unknown) => void) => Promise<T>;
  /** The input names of the built model's ONNX session, for the post-load check (null: unknown). */
  inputNames: (value: T) => readonly string[] | null;
  /** Frees a built model that failed the post-load check. */
  dispose: (value: T) => Promise<unknown>;
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

/** What a loaded model reports to the page, from the loader's info. */
export function describeLoaded(info: LoadedInfo): LoadedModel {
  const model: LoadedModel = { key: info.key, label: info.label, device: info.device, dtype: info.dtype, modelType: String(info.config.model_type) };
  if (info.bytes !== undefined) model.bytes = info.bytes;
  if (info.warning) model.warning = info.warning;
  return model;
}

/** The input names of a transformers.js model's main ONNX session; null when it has none by that name. */
export function sessionInputs(model: unknown): readonly string[] | null {
  const sessions = (model as { sessions?: Record<string, { inputNames?: string[] }> }).sessions;
  return sessions?.model?.inputNames ?? null;
}

/** Forgets a loaded model (the caller disposes it), so memory is freed and the next load builds it again. */
export function forgetModel(key: string): void {
  loaded.delete(key);
}

function fitOf(files: FileSizes, device: DeviceDecision, config: Record<string, unknown> | null, dtype: Dtype, dtypes: readonly Dtype[] | null = null): FitDecision {
  return decideFit({
    smaller: dtypes ? smallerDtypeAdvice(dtype, dtypes) : undefined,
    files,
    device: device.device,
    runtime: currentRuntime(),
    deviceMemoryGiB: deviceMemoryGiB(),
    gpuBufferLimit: device.bufferLimit,
    largestWeightBytes: embeddingBytes(config, dtype),
  });
}

async function load<T>(request: LoadRequest<T>, key: string): Promise<{ value: T; info: LoadedInfo }> {
  const { source, options, task } = request;
  const label = sourceLabel(source);
  const userSignal = request.signal ?? new AbortController().signal;
  // The dtypes the folder has, once checked: out-of-memory advice names only those (unknown for the Hub).
  let dtypes: Dtype[] | null = null;
  try {
    // 1. Give the source the id transformers.js will ask for, and choose where it would run.
    markRuntimeStarted();
    const { id, base } = prepareSource(source);
    let device: DeviceDecision = await chooseDevice(options.device);
    // 2. For folders we hold, check files, architecture, graph inputs and size before ORT sees anything.
    let facts: FolderFacts | null = null;
    let fit: FitDecision | null = null;
    if (source.kind !== 'hub') {
      facts = await checkFolder(source, { id, base, task, dtype: options.dtype, label, supports: request.supports, signal: userSignal });
      dtypes = facts.dtypes;
      if (facts.onnxFiles.every((f) => f.size >= 0)) fit = fitOf(facts.onnxFiles, device, facts.config, options.dtype, dtypes);
      if (fit?.fit === 'too-large') throw new ModelLoadError(fit.message, 'too-large');
      if (fit?.fit === 'wasm-instead') device = wasmFallback(fit.reason);
    } else if (device.device === 'webgpu' && device.bufferLimit) {
      // For the Hub, config.json tells the largest weight before any ONNX byte is downloaded.
      const config = await withDownloadSignal(userSignal, () => readConfig(id, source));
      const gpu = fitOf([], device, config, options.dtype);
      if (gpu.fit === 'wasm-instead') device = wasmFallback(gpu.reason);
    }
    // 3. Load; on WebGPU failure, once more on WASM (the reason is shown with the model).
    try {
      return await attempt(request, { id, key, label, device, fit, signal: userSignal });
    } catch (error) {
      const explained = explainLoadError(error, label, options.dtype, dtypes);
      const gpuTrouble = explained instanceof ModelLoadError && ['unknown', 'unsupported-device', 'out-of-memory'].includes(explained.problem);
      if (device.device !== 'webgpu' || !gpuTrouble || userSignal.aborted) throw explained;
      const why = explained.message.replace(/^Loading .*? failed: /, '');
      return await attempt(request, { id, key, label, device: wasmFallback(`WebGPU could not load it (${why})`), fit, signal: userSignal });
    }
  } catch (error) {
    throw explainLoadError(error, label, options.dtype, dtypes);
  }
}

interface Attempt {
  id: string;
  key: string;
  label: string;
  device: DeviceDecision;
  fit: FitDecision | null;
  signal: AbortSignal;
}

/** One try at building the model on one device; a Hub download whose size is too large is stopped early. */
async function attempt<T>(request: LoadRequest<T>, run: Attempt): Promise<{ value: T; info: LoadedInfo }> {
  const { options, task, source } = request;
  // The size guard aborts the downloads with its own reason; the user's Cancel with theirs.
  const guard = new AbortController();
  const signal = AbortSignal.any([run.signal, guard.signal]);
  let config: Record<string, unknown> | null = null;
  const mainFile = onnxFileFor(options.dtype);
  let downloadBytes: number | undefined;
  const onSizes = (files: FileSizes) => {
    const onnx = onnxFilesOf(mainFile, files.map((f) => f.path)).map((p) => files.find((f) => f.path === p)!);
    const fit = onnx.length ? fitOf(onnx, run.device, config, options.dtype) : null;
    downloadBytes = fit?.bytes;
    if (fit?.fit === 'too-large' && !guard.signal.aborted) guard.abort(new ModelLoadError(`${run.label}: ${fit.message}`, 'too-large'));
  };
  const tracker = progressTracker(request.onProgress, source.kind === 'hub' ? onSizes : undefined);
  const stopped = new Promise<never>((_, reject) => {
    const fail = () => reject(guard.signal.aborted ? guard.signal.reason : new CancelledError('Model loading was cancelled.'));
    if (signal.aborted) fail();
    signal.addEventListener('abort', fail, { once: true });
  });
  return Promise.race([
    withDownloadSignal(signal, async () => {
      config = await readConfig(run.id, source);
      // Hub models are checked here, before any ONNX byte is downloaded (folders already were).
      const role = checkModelRole(config, task, run.label);
      if (role) throw new ModelLoadError(role.message, role.problem);
      const info: LoadedInfo = {
        key: run.key,
        label: run.label,
        device: { device: run.device.device, reason: withThreads(run.device) },
        dtype: options.dtype,
        config,
        bytes: run.fit?.bytes,
        warning: run.fit?.fit === 'ok' ? run.fit.warning : undefined,
      };
      const value = await request.create(run.id, info, tracker);
      info.bytes ??= downloadBytes;
      if (signal.aborted) {
        await request.dispose(value);
        throw guard.signal.aborted ? guard.signal.reason : new CancelledError('Model loading was cancelled.');
      }
      // The same input check as for held folders, on what the runtime actually built.
      try {
        checkSessionInputs(request.inputNames(value), { task, dtype: options.dtype, label: run.label, config });
      } catch (error) {
        await request.dispose(value);
        throw error;
      }
      return { value, info };
    }),
    stopped,
  ]);
}

/** A WASM choice's reason with the threads ORT runs on ("… · 2 threads"); WebGPU's as it is. */
function withThreads(choice: DeviceChoice): string {
  const threads = threadsInUse();
  return choice.device === 'wasm' && threads ? `${choice.reason} · ${describeThreads(threads)}` : choice.reason;
}

function revisionOf(source: ModelSource): string | undefined {
  return source.kind === 'hub' ? source.revision : undefined;
}

/** config.json as transformers.js reads it, as plain data. */
async function readConfig(id: string, source: ModelSource): Promise<Record<string, unknown>> {
  const config = await AutoConfig.from_pretrained(id, { revision: revisionOf(source) });
  return JSON.parse(JSON.stringify(config));
}

function prepareSource(source: ModelSource): { id: string; base: string | null } {
  if (source.kind === 'hub') return { id: source.id, base: null };
  const id = mountedId(source);
  if (source.kind === 'files') {
    if (source.files.length === 0) throw new ModelLoadError('No files were given for the model folder.', 'invalid-source');
    mount(id, filesResolver(source.files));
    return { id, base: null };
  }
  const base = folderUrl(source.url);
  mount(id, urlResolver(base, globalThis.fetch.bind(globalThis)));
  return { id, base };
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

const OUT_OF_MEMORY = /out of memory|Array buffer allocation failed|bad_alloc|cannot allocate|could not allocate|WebAssembly\.Memory|memory access out of bounds/i;

/**
 * Maps raw runtime errors to ModelLoadErrors naming the problem; keeps typed errors as they are. `dtypes`: what the
 * folder has (null: unknown), so out-of-memory advice names only dtypes that exist.
 */
export function explainLoadError(error: unknown, label: string, dtype: Dtype, dtypes: readonly Dtype[] | null = null): Error {
  if (error instanceof ModelLoadError || error instanceof CancelledError) return error;
  const message = messageOf(error);
  if ((error as Error)?.name === 'AbortError') return new CancelledError('Model loading was cancelled.');
  if (OUT_OF_MEMORY.test(message) || (error instanceof RangeError && /allocat|memory/i.test(message))) {
    return new ModelLoadError(
      `Loading ${label} (dtype ${dtype}) ran out of memory (${message}). ${smallerDtypeAdvice(dtype, dtypes)} Or close other tabs, or hold one language model at a time (Settings).`,
      'out-of-memory',
    );
  }
  if (/protobuf parsing failed|failed to load model|invalid model|Can't create a session|ERROR_CODE: 7|no graph/i.test(message)) {
    return corruptOnnx(label, dtype, message);
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
