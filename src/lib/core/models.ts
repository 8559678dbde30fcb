// Where a model comes from, how it runs, and the checks a model folder must pass before loading.
// Pure: no DOM, no transformers.js. The loader in workers/models applies these.

/** Execution backend. `webgpu` runs on the GPU; `wasm` runs on the CPU everywhere. */
export type Device = 'webgpu' | 'wasm';
export type DevicePreference = 'auto' | Device;
export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/** Which head a model is loaded for; decides the required files and supported architectures. */
export type ModelTask = 'feature-extraction' | 'text-generation';

/** One file of a model folder the user supplied, path relative to the folder (e.g. `onnx/model.onnx`). */
export interface ModelFile {
  path: string;
  blob: Blob;
}

export type ModelSource =
  /** A Hugging Face Hub repository, e.g. `Xenova/all-MiniLM-L6-v2`, optionally pinned to a revision. */
  | { kind: 'hub'; id: string; revision?: string }
  /** A folder served over HTTP(S) (or the app's own origin) in the Hub layout. */
  | { kind: 'url'; url: string }
  /** Files the user picked or dropped (or the CLI read from disk). */
  | { kind: 'files'; name: string; files: ModelFile[] };

export interface LoadOptions {
  device: DevicePreference;
  dtype: Dtype;
}

/** File-name suffix transformers.js uses for each dtype under `onnx/`. */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

export function onnxFileFor(dtype: Dtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** Dtypes whose ONNX file is present among `paths`. */
export function availableDtypes(paths: Iterable<string>): Dtype[] {
  const set = new Set(paths);
  return DTYPES.filter((d) => set.has(onnxFileFor(d)));
}

const HUB_ID = /^[\w.-]+\/[\w.-]{1,96}$/;

/** Parses `owner/name` or `owner/name@revision`; returns null when it is not a Hub id. */
export function parseHubId(text: string): { id: string; revision?: string } | null {
  const [id, revision, extra] = text.trim().split('@');
  if (extra !== undefined || !HUB_ID.test(id) || id.includes('..') || id.includes('--')) return null;
  return revision ? { id, revision } : { id };
}

/** A stable key naming a source, used to cache loaded models and to label them in the UI. */
export function sourceKey(source: ModelSource): string {
  switch (source.kind) {
    case 'hub':
      return `hub:${source.id}@${source.revision ?? 'main'}`;
    case 'url':
      return `url:${source.url.replace(/\/+$/, '')}`;
    case 'files': {
      const listing = source.files
        .map((f) => `${f.path}:${f.blob.size}`)
        .sort()
        .join('|');
      return `files:${source.name}:${hashString(listing)}`;
    }
  }
}

export function sourceLabel(source: ModelSource): string {
  switch (source.kind) {
    case 'hub':
      return source.revision ? `${source.id}@${source.revision}` : source.id;
    case 'url':
      return source.url;
    case 'files':
      return `${source.name} (local files)`;
  }
}

/** FNV-1a, 32-bit, as 8 hex digits: short stable names, not security. */
export function hashString(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Normalises the paths of a picked or dropped folder: strips the folder's own name (the first
 * segment that every file shares) and moves root-level `model*.onnx` files under `onnx/`.
 */
export function normaliseModelFiles(files: ModelFile[]): ModelFile[] {
  const split = files.map((f) => f.path.replace(/\\/g, '/').replace(/^\/+/, '').split('/'));
  const first = split[0]?.[0];
  const shared = split.length > 0 && split.every((parts) => parts.length > 1 && parts[0] === first);
  return files.map((file, i) => {
    let path = (shared ? split[i].slice(1) : split[i]).join('/');
    if (/^model[\w]*\.onnx(_data)?$/.test(path)) path = `onnx/${path}`;
    return { path, blob: file.blob };
  });
}

/** What a model folder must contain; `supports` says whether transformers.js knows the architecture. */
export interface FolderCheck {
  paths: string[];
  config: Record<string, unknown> | null;
  task: ModelTask;
  dtype: Dtype;
  supports: (modelType: string) => boolean;
}

/** Returns the first problem that would make loading fail, worded for the user, or null. */
export function checkModelFolder(check: FolderCheck): { problem: 'missing-file' | 'unsupported-architecture'; message: string } | null {
  const have = new Set(check.paths);
  if (!have.has('config.json') || !check.config) {
    return { problem: 'missing-file', message: 'The model folder has no config.json, so its architecture is unknown.' };
  }
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!have.has(file)) {
      return { problem: 'missing-file', message: `The model folder has no ${file}: the tokenizer cannot be loaded. Add the tokenizer files from the model's repository.` };
    }
  }
  const onnx = onnxFileFor(check.dtype);
  if (!have.has(onnx)) {
    const present = availableDtypes(have);
    const hint = present.length ? `Available: ${present.join(', ')}.` : 'No onnx/model*.onnx file was found: export the model to ONNX first.';
    return { problem: 'missing-file', message: `The model folder has no ${onnx} for dtype ${check.dtype}. ${hint}` };
  }
  const modelType = typeof check.config.model_type === 'string' ? check.config.model_type : '';
  if (!modelType || !check.supports(modelType)) {
    return {
      problem: 'unsupported-architecture',
      message: `Architecture "${modelType || 'missing model_type'}" is not supported by transformers.js for ${check.task}.`,
    };
  }
  return null;
}
