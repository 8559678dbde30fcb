// The base model for training, read from the folder the app loads models from: its config, its tokenizer (through
// transformers.js, mounted like any user folder, so the chat template is the one generation uses) and the fp32
// ONNX weights. A URL folder (the bundled demo models) is fetched file by file first.
import { AutoTokenizer } from '@huggingface/transformers';
import { ModelLoadError } from '../../core/errors';
import type { ZipEntry } from '../../core/formats/zip';
import type { ModelFile, ModelSource } from '../../core/models';
import { filesResolver, mount, mountedId, unmount } from '../models/mounts';
import type { BaseModel } from './run';

/** A folder's files the trainer reads or copies (the weights it needs are fp32: onnx/model.onnx). */
const URL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx'];
const OPTIONAL = new Set(['generation_config.json', 'special_tokens_map.json']);
const WEIGHTS = 'onnx/model.onnx';

async function fetchFolder(source: Extract<ModelSource, { kind: 'url' }>, signal?: AbortSignal): Promise<Extract<ModelSource, { kind: 'files' }>> {
  const base = source.url.replace(/\/+$/, '') + '/';
  const files: ModelFile[] = [];
  for (const path of URL_FILES) {
    const response = await fetch(new URL(path, new URL(base, globalThis.location?.href)), { signal }).catch(() => null);
    if (response?.ok) files.push({ path, blob: await response.blob() });
    else if (!OPTIONAL.has(path)) throw new ModelLoadError(`The base model folder ${base} has no ${path} (HTTP ${response?.status ?? 'error'}).`, 'missing-file');
  }
  return { kind: 'files', name: base.split('/').filter(Boolean).pop() ?? 'model', files };
}

/** Reads `source` (a picked folder or a URL folder) as the trainer's base model. */
export async function loadBaseModel(source: ModelSource, signal?: AbortSignal): Promise<BaseModel> {
  if (source.kind === 'hub') throw new ModelLoadError('Training reads the base model from a folder: download it, or pick the folder, then train.', 'invalid-source');
  const folder = source.kind === 'url' ? await fetchFolder(source, signal) : source;
  const byPath = new Map(folder.files.map((f) => [f.path, f.blob]));
  const weights = byPath.get(WEIGHTS);
  if (!weights) throw new ModelLoadError(`${folder.name} has no ${WEIGHTS}: training needs the fp32 weights (quantized ones cannot be trained).`, 'missing-file');
  const configFile = byPath.get('config.json');
  if (!configFile) throw new ModelLoadError(`${folder.name} has no config.json.`, 'missing-file');
  const id = mountedId(folder);
  mount(id, filesResolver(folder.files));
  try {
    const tokenizer = await AutoTokenizer.from_pretrained(id);
    if (!tokenizer.chat_template) throw new ModelLoadError(`${folder.name} has no chat template: training needs one to tell the answer from the prompt.`, 'missing-file');
    const sideFiles: ZipEntry[] = [];
    for (const file of folder.files) if (!file.path.startsWith('onnx/')) sideFiles.push({ path: file.path, bytes: new Uint8Array(await file.blob.arrayBuffer()) });
    return { name: folder.name, config: JSON.parse(await configFile.text()), onnx: new Uint8Array(await weights.arrayBuffer()), sideFiles, tokenizer };
  } finally {
    unmount(id);
  }
}
