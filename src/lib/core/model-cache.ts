// Names of cached model files and how the model manager groups them: Hub downloads keyed by one
// canonical URL per (model id, revision, file), and saved local folders keyed under an id of their own.

/** A cached Hub file, read back from its key. */
export interface HubFileKey {
  id: string;
  revision: string;
  file: string;
}

const HUB_URL = /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/;

/**
 * The one key a Hub file is cached under, whatever key transformers.js proposed: it uses the download
 * URL for the main revision but `owner/name/revision/file` for a pinned one. Other keys (a lookup of a
 * local path, say) come back unchanged.
 */
export function canonicalHubKey(key: string, remoteHost: string): string {
  if (HUB_URL.test(key)) return key;
  if (/^[a-z]+:|^\/|^\./i.test(key)) return key;
  const parts = key.split('/');
  if (parts.length < 4 || parts.some((p) => p === '')) return key;
  const [owner, name, revision, ...file] = parts;
  const host = remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`;
  return `${host}${owner}/${name}/resolve/${encodeURIComponent(revision)}/${file.join('/')}`;
}

/** Reads the model id, revision and file back from a canonical key; null for anything else. */
export function parseHubKey(url: string): HubFileKey | null {
  const match = HUB_URL.exec(url);
  if (!match) return null;
  return { id: match[1], revision: decodeURIComponent(match[2]), file: decodeURIComponent(match[3]) };
}

/** One model (id and revision) in the Hub download cache. */
export interface CachedHubModel {
  id: string;
  revision: string;
  files: { file: string; size: number; url: string }[];
  bytes: number;
}

/** Groups cached Hub files by model id and revision; keys that are not Hub files are returned apart. */
export function groupHubFiles(entries: readonly { url: string; size: number }[]): { models: CachedHubModel[]; other: { url: string; size: number }[] } {
  const models = new Map<string, CachedHubModel>();
  const other: { url: string; size: number }[] = [];
  for (const entry of entries) {
    const key = parseHubKey(entry.url);
    if (!key) {
      other.push(entry);
      continue;
    }
    const group = `${key.id}@${key.revision}`;
    const model = models.get(group) ?? { id: key.id, revision: key.revision, files: [], bytes: 0 };
    model.files.push({ file: key.file, size: entry.size, url: entry.url });
    model.bytes += entry.size;
    models.set(group, model);
  }
  const sorted = [...models.values()].sort((a, b) => a.id.localeCompare(b.id) || a.revision.localeCompare(b.revision));
  for (const model of sorted) model.files.sort((a, b) => a.file.localeCompare(b.file));
  return { models: sorted, other };
}

/** A local folder kept in the browser: what its manifest records. */
export interface SavedFolder {
  id: string;
  /** The folder's name, as picked. */
  name: string;
  /** Milliseconds since the epoch. */
  savedAt: number;
  files: { path: string; size: number }[];
  bytes: number;
}

/** Parses a saved folder's manifest; null when it is not one (a partly written save, say). */
export function parseManifest(value: unknown): SavedFolder | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.name !== 'string' || typeof v.savedAt !== 'number' || !Array.isArray(v.files)) return null;
  const files = v.files.filter(
    (f): f is { path: string; size: number } => !!f && typeof f.path === 'string' && typeof f.size === 'number' && f.size >= 0,
  );
  if (files.length !== v.files.length) return null;
  return { id: v.id, name: v.name, savedAt: v.savedAt, files, bytes: files.reduce((s, f) => s + f.size, 0) };
}
