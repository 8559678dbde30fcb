// The bundled sample wiki (Lumen Notes docs): fetched from this site's own origin as files to ingest.
import type { IngestFile } from '../core/corpus/reports';

interface SampleIndex {
  name: string;
  files: string[];
}

/** Where the sample wiki is served, under the app's base path. */
export const SAMPLE_WIKI_BASE = `${import.meta.env.BASE_URL}sample-wiki/`;

/** Fetches `index.json`, then each file it lists; paths stay as listed (e.g. `billing/refund-policy.md`). */
export async function fetchSampleWiki(
  onProgress: (p: { done: number; total: number; path: string }) => void,
  base: string = SAMPLE_WIKI_BASE,
): Promise<IngestFile[]> {
  const index = (await fetchOk(`${base}index.json`).then((r) => r.json())) as SampleIndex;
  if (!Array.isArray(index.files)) throw new Error(`The sample wiki's index.json lists no files (at ${base}index.json).`);
  const files: IngestFile[] = [];
  for (const [i, path] of index.files.entries()) {
    onProgress({ done: i, total: index.files.length, path });
    files.push({ path, blob: await (await fetchOk(`${base}${path}`)).blob() });
  }
  onProgress({ done: index.files.length, total: index.files.length, path: '' });
  return files;
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}. Is the app served with its public/ folder?`);
  return response;
}
