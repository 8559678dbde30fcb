// Model folders that do not live on the Hub (user files, URL folders, folders on disk in the CLI),
// "mounted" under a synthetic Hub-style id so transformers.js loads them through its normal path:
// its cache lookup (`env.customCache.match`) is answered from here, never from the network.
import { ModelLoadError } from '../../core/errors';
import { hashString, sourceKey, type ModelSource } from '../../core/models';

/** Returns the file, or undefined when the folder does not have it. */
export type FileResolver = (path: string, signal?: AbortSignal) => Promise<Response | undefined>;

const MOUNT_OWNER = 'mounted';
const mounts = new Map<string, FileResolver>();

/** The synthetic id under which a non-Hub source is loaded; stable for the same source. */
export function mountedId(source: Exclude<ModelSource, { kind: 'hub' }>): string {
  const base = source.kind === 'files' ? source.name : source.url.replace(/\/+$/, '').split('/').pop() || 'model';
  const slug = base.toLowerCase().replace(/[^a-z0-9._]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'model';
  return `${MOUNT_OWNER}/${slug}-${hashString(sourceKey(source))}`;
}

export function mount(id: string, resolver: FileResolver): void {
  mounts.set(id, resolver);
}

export function unmount(id: string): void {
  mounts.delete(id);
}

export function isMounted(id: string): boolean {
  return mounts.has(id);
}

/**
 * Finds the mounted id and file path in a key transformers.js asks for: either a Hub URL
 * `https://host/{owner}/{name}/resolve/{rev}/{file}` or a local path `.../{owner}/{name}/{file}`.
 */
export function parseMountedKey(key: string): { id: string; path: string } | null {
  const at = key.indexOf(`${MOUNT_OWNER}/`);
  if (at < 0) return null;
  const parts = key.slice(at).split('/');
  const id = `${parts[0]}/${parts[1]}`;
  if (!mounts.has(id)) return null;
  let rest = parts.slice(2);
  if (rest[0] === 'resolve') rest = rest.slice(2);
  return { id, path: rest.map(decodeURIComponent).join('/') };
}

/** Answers a cache lookup or fetch for a mounted id; `null` when the key is not mounted. */
export async function resolveMounted(key: string, signal?: AbortSignal): Promise<Response | undefined | null> {
  const parsed = parseMountedKey(key);
  if (!parsed) return null;
  return mounts.get(parsed.id)!(parsed.path, signal);
}

/** Serves files held in memory (picked, dropped, or read from disk). */
export function filesResolver(files: { path: string; blob: Blob }[]): FileResolver {
  const byPath = new Map(files.map((f) => [f.path, f.blob]));
  return async (path) => {
    const blob = byPath.get(path);
    if (!blob) return undefined;
    return new Response(blob, { headers: { 'content-length': String(blob.size) } });
  };
}

/**
 * Words a fetch that got no HTTP answer at all. NOTE: browsers reject a request the server's CORS headers do
 * not allow with the same bare TypeError ("Failed to fetch") as an unreachable server, so on another origin
 * the advice names CORS first. Anything but a TypeError (a cancel, say) is returned as it is.
 */
export function fetchFailure(url: string, error: unknown, pageOrigin: string | null = globalThis.location?.origin ?? null): unknown {
  if (!(error instanceof TypeError)) return error;
  const origin = new URL(url).origin;
  if (pageOrigin && pageOrigin !== 'null' && origin !== pageOrigin) {
    return new ModelLoadError(
      `${url} could not be read from this page (${error.message}): a model folder on another origin (${origin}) must be served with ` +
        `cross-origin requests allowed, i.e. the header "Access-Control-Allow-Origin: ${pageOrigin}" (for example \`npx http-server --cors\`), ` +
        `or put the folder on this app's own server. If the server does send it, check that it is running and the URL is right.`,
      'network',
    );
  }
  return new ModelLoadError(`Could not reach ${url} (${error.message}): check that the server is running and the URL is right.`, 'network');
}

/** Serves files from a folder URL; a 404 means the folder lacks the file. */
export function urlResolver(folderUrl: string, fetchFn: typeof fetch): FileResolver {
  const base = folderUrl.endsWith('/') ? folderUrl : folderUrl + '/';
  return async (path, signal) => {
    const url = new URL(path, base).href;
    const response = await fetchFn(url, { signal }).catch((error) => {
      throw fetchFailure(url, error);
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${new URL(path, base).href}`);
    return response;
  };
}
