// What the loader checks before ONNX Runtime sees a model it holds the files of (picked files or a
// folder URL): required files, the architecture, the graph's inputs read from the protobuf in slices,
// and whether the ONNX files fit the device. Also the same input check on a loaded session (Hub models).
import { URL_MAX_READS, URL_MAX_WALK_BYTES } from '../../config/tunables';
import { ModelLoadError } from '../../core/errors';
import { checkModelRole } from '../../core/model-role';
import { availableDtypes, checkModelFolder, DTYPES, onnxFileFor, type Dtype, type ModelSource, type ModelTask } from '../../core/models';
import { blobRangeReader, OnnxFormatError, readGraphInputs, ReadBudgetError, type RangeReader } from '../../core/onnx/graph-inputs';
import { checkGraphInputs } from '../../core/onnx/input-contract';
import { onnxFilesOf } from '../../core/onnx/model-fit';
import { resolveMounted } from './mounts';

/** What the folder check learned, for the size decision. */
export interface FolderFacts {
  config: Record<string, unknown>;
  /** The chosen dtype's ONNX files (graph and external data) with their sizes; sizes may be unknown (-1). */
  onnxFiles: { path: string; size: number }[];
  /** Every dtype the folder has an ONNX file for (for advice that names only those). */
  dtypes: Dtype[];
}

const EXTERNAL_DATA_PARTS = ['_data', '_data_1', '_data_2', '_data_3'];

export function corruptOnnx(label: string, dtype: Dtype, detail: string): ModelLoadError {
  return new ModelLoadError(`The ONNX file of ${label} (dtype ${dtype}) could not be read: it is corrupt, truncated or not an ONNX model. (${detail})`, 'corrupt-onnx');
}

interface FolderListing {
  sizes: Map<string, number>;
  /** Reads a slice of a file; null when the source cannot read slices. */
  reader: (path: string) => RangeReader | null;
}

async function listFiles(source: Exclude<ModelSource, { kind: 'hub' }>, base: string | null, dtype: Dtype, signal: AbortSignal): Promise<FolderListing> {
  if (source.kind === 'files') {
    const byPath = new Map(source.files.map((f) => [f.path, f.blob]));
    return { sizes: new Map(source.files.map((f) => [f.path, f.blob.size])), reader: (p) => (byPath.has(p) ? blobRangeReader(byPath.get(p)!) : null) };
  }
  // A URL folder has no listing: probe the files the checks need with HEAD requests.
  const main = onnxFileFor(dtype);
  const candidates = ['config.json', 'tokenizer.json', 'tokenizer_config.json', ...DTYPES.map(onnxFileFor), ...EXTERNAL_DATA_PARTS.map((s) => main + s)];
  const sizes = new Map<string, number>();
  await Promise.all(
    candidates.map(async (p) => {
      const size = await probeSize(new URL(p, base!).href, signal);
      if (size !== null) sizes.set(p, size);
    }),
  );
  return { sizes, reader: (p) => urlRangeReader(new URL(p, base!).href, signal) };
}

/**
 * Whether a URL has a file, and its size (-1 when the server does not say). NOTE: a single-page
 * app's host answers every path with its index.html: an HTML answer means the file is not there.
 */
async function probeSize(url: string, signal: AbortSignal): Promise<number | null> {
  const head = await fetch(url, { method: 'HEAD', signal }).catch(() => null);
  if (!head?.ok || /text\/html/i.test(head.headers.get('content-type') ?? '')) return null;
  const length = Number(head.headers.get('content-length'));
  if (length > 0) return length;
  // No length on HEAD (some dev servers): the total of a one-byte Range answer says it.
  const probe = await fetch(url, { headers: { Range: 'bytes=0-0' }, signal }).catch(() => null);
  const total = Number(/\/(\d+)$/.exec(probe?.headers.get('content-range') ?? '')?.[1]);
  await probe?.body?.cancel().catch(() => undefined);
  return total > 0 ? total : -1;
}

/** Thrown when the server answers a Range request with the whole file: the pre-check is skipped. */
class RangeUnsupported extends Error {}

/** Reads slices of a URL with Range requests; a server that ignores Range is not downloaded from. */
export function urlRangeReader(url: string, signal: AbortSignal, fetchFn: typeof fetch = fetch): RangeReader {
  return async (offset, length) => {
    const response = await fetchFn(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` }, signal }).catch((error) => {
      // NOTE: a cross-origin server may allow plain reads but not the Range header: the whole-file load decides.
      throw error instanceof TypeError ? new RangeUnsupported(`${url}: a Range request failed (${error.message})`) : error;
    });
    if (response.status !== 206) {
      await response.body?.cancel().catch(() => undefined);
      throw new RangeUnsupported(`${url} answered ${response.status} to a Range request`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** Runs every check a held folder allows; throws a ModelLoadError naming the first problem. */
export async function checkFolder(
  source: Exclude<ModelSource, { kind: 'hub' }>,
  request: { id: string; base: string | null; task: ModelTask; dtype: Dtype; label: string; supports: (t: string) => boolean; signal: AbortSignal },
): Promise<FolderFacts> {
  const { id, task, dtype, label, signal } = request;
  // 1. Required files and the architecture.
  const listing = await listFiles(source, request.base, dtype, signal);
  let config: Record<string, unknown> | null = null;
  const configResponse = await resolveMounted(`${id}/config.json`, signal);
  if (configResponse) {
    try {
      config = JSON.parse(await configResponse.text());
    } catch {
      throw new ModelLoadError('config.json in the model folder is not valid JSON.', 'missing-file');
    }
  }
  // The kind of model decides before any file list does: a chat model is no embedder, whatever it holds.
  const role = config && checkModelRole(config, task, label);
  if (role) throw new ModelLoadError(role.message, role.problem);
  const problem = checkModelFolder({ paths: [...listing.sizes.keys()], config, task, dtype, supports: request.supports });
  if (problem) throw new ModelLoadError(problem.message, problem.problem);
  // 2. The graph's inputs, read from the protobuf in slices (the weights are skipped, never read).
  const main = onnxFileFor(dtype);
  const size = listing.sizes.get(main) ?? -1;
  // NOTE: over a network each slice is a round trip, and a real-size graph would spend the whole budget in vain.
  const walkable = size > 0 && (source.kind !== 'url' || size <= URL_MAX_WALK_BYTES);
  const reader = walkable ? listing.reader(main) : null;
  if (reader) {
    try {
      const inputs = await readGraphInputs(reader, size, source.kind === 'url' ? { maxReads: URL_MAX_READS } : {});
      const missing = checkGraphInputs({ task, inputs, config, where: `${main} of ${label}` });
      if (missing) throw new ModelLoadError(missing.message, missing.problem);
    } catch (error) {
      if (error instanceof OnnxFormatError) throw corruptOnnx(label, dtype, error.message);
      // NOTE: no Range support, or too many slices over the network: the loaded session is checked instead.
      if (!(error instanceof RangeUnsupported || error instanceof ReadBudgetError)) throw error;
    }
  }
  const onnxFiles = onnxFilesOf(main, listing.sizes.keys()).map((path) => ({ path, size: listing.sizes.get(path)! }));
  return { config: config!, onnxFiles, dtypes: availableDtypes(listing.sizes.keys()) };
}

/** The same input check on a loaded session's input names (Hub models, URL folders read whole). */
export function checkSessionInputs(inputs: readonly string[] | null, request: { task: ModelTask; dtype: Dtype; label: string; config: Record<string, unknown> }): void {
  if (!inputs) return;
  const missing = checkGraphInputs({ task: request.task, inputs, config: request.config, where: `${onnxFileFor(request.dtype)} of ${request.label}` });
  if (missing) throw new ModelLoadError(missing.message, missing.problem);
}
