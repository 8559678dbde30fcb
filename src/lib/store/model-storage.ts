// Models kept in the browser's Cache Storage: Hub downloads (written by transformers.js through
// env.customCache) and local folders the user chose to keep. Used by the workers and the page alike.
// NOTE: Cache Storage rather than IndexedDB blobs: a cached Response streams a picked File to disk
// without reading it into memory, reads back as a disk-backed Blob, counts in the same quota as the
// Hub downloads, and one API lists, sizes and deletes both kinds.
import { messageOf } from '../core/errors';
import { parseManifest, type SavedFolder } from '../core/model-cache';
import { hashString, sourceKey, type ModelFile } from '../core/models';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: users' downloads live in these caches. */
export const HUB_CACHE = 'raft-playground-models';
export const SAVED_CACHE = 'raft-playground-saved-models';
const SAVED_PATH = '/raft-saved-models/';

/** Keeping or reading a model in the browser failed; the message says what to do. */
export class ModelStorageError extends Error {
  override name = 'ModelStorageError';
}

export interface ModelStorage {
  /** Every file in the Hub download cache with its size in bytes. */
  listHub(): Promise<{ url: string; size: number }[]>;
  deleteHub(urls: readonly string[]): Promise<void>;
  listSaved(): Promise<SavedFolder[]>;
  /** Keeps a picked folder; saving the same files again replaces the earlier copy. */
  saveFolder(name: string, files: readonly ModelFile[]): Promise<SavedFolder>;
  /** The saved files, as a `files` source needs them. */
  readSaved(id: string): Promise<{ name: string; files: ModelFile[] }>;
  deleteSaved(id: string): Promise<void>;
}

/** The id a folder is saved under: the same files give the same id. */
export function savedFolderId(name: string, files: readonly ModelFile[]): string {
  return hashString(sourceKey({ kind: 'files', name, files: [...files] }));
}

async function sizeOf(response: Response | undefined): Promise<number> {
  if (!response) return 0;
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
}

function isQuota(error: unknown): boolean {
  return error instanceof Error && (error.name === 'QuotaExceededError' || /quota/i.test(error.message));
}

/** Cache Storage of this origin, or null where there is none (Node, some private windows). */
export function browserModelStorage(): ModelStorage | null {
  if (typeof caches === 'undefined' || typeof location === 'undefined') return null;
  const base = new URL(SAVED_PATH, location.origin).href;
  const manifestUrl = (id: string) => `${base}${id}.json`;
  const fileUrl = (id: string, path: string) => `${base}${id}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const saved = () => caches.open(SAVED_CACHE);

  async function removeSaved(cache: Cache, id: string): Promise<void> {
    const prefix = `${base}${id}/`;
    const keys = await cache.keys();
    await Promise.all(keys.filter((r) => r.url.startsWith(prefix) || r.url === manifestUrl(id)).map((r) => cache.delete(r)));
  }

  return {
    async listHub() {
      const cache = await caches.open(HUB_CACHE);
      const keys = await cache.keys();
      return Promise.all(keys.map(async (request) => ({ url: request.url, size: await sizeOf(await cache.match(request)) })));
    },

    async deleteHub(urls) {
      const cache = await caches.open(HUB_CACHE);
      await Promise.all(urls.map((url) => cache.delete(url)));
    },

    async listSaved() {
      const cache = await saved();
      const manifests = (await cache.keys()).filter((r) => r.url.startsWith(base) && r.url.endsWith('.json') && !r.url.slice(base.length).includes('/'));
      const folders = await Promise.all(manifests.map(async (r) => parseManifest(await (await cache.match(r))?.json().catch(() => null))));
      return folders.filter((f): f is SavedFolder => f !== null).sort((a, b) => b.savedAt - a.savedAt);
    },

    async saveFolder(name, files) {
      const id = savedFolderId(name, files);
      const cache = await saved();
      const manifest: SavedFolder = {
        id,
        name,
        savedAt: Date.now(),
        files: files.map((f) => ({ path: f.path, size: f.blob.size })),
        bytes: files.reduce((s, f) => s + f.blob.size, 0),
      };
      try {
        // 1. The files, streamed from the picked Files; 2. the manifest last, so a partial save is never listed.
        for (const file of files) {
          const headers = { 'content-type': 'application/octet-stream', 'content-length': String(file.blob.size) };
          await cache.put(fileUrl(id, file.path), new Response(file.blob, { headers }));
        }
        await cache.put(manifestUrl(id), new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/json' } }));
        return manifest;
      } catch (error) {
        await removeSaved(cache, id).catch(() => undefined); // best effort: the save failed anyway
        if (isQuota(error)) {
          throw new ModelStorageError(`There is not enough browser storage to keep ${name}: free space in the model manager below, or ask the browser to keep data (status bar).`);
        }
        throw new ModelStorageError(`${name} could not be kept in the browser: ${messageOf(error)}`);
      }
    },

    async readSaved(id) {
      const cache = await saved();
      const manifest = parseManifest(await (await cache.match(manifestUrl(id)))?.json().catch(() => null));
      if (!manifest) throw new ModelStorageError('This saved model is no longer in the browser (it was deleted or evicted): pick its folder again.');
      const files = await Promise.all(
        manifest.files.map(async ({ path }) => {
          const response = await cache.match(fileUrl(id, path));
          if (!response) throw new ModelStorageError(`The saved copy of ${manifest.name} lacks ${path} (evicted?): delete it and pick the folder again.`);
          return { path, blob: await response.blob() };
        }),
      );
      return { name: manifest.name, files };
    },

    async deleteSaved(id) {
      await removeSaved(await saved(), id);
    },
  };
}
