// Reading chunks for the Questions stage through the corpus worker: by id (an oracle, a chunk to generate from)
// or every chunk of some articles. The worker keeps chunks per article, so ids are first mapped to articles.
import type { Chunk } from '../core/chunking';
import type { CorpusClient } from '../clients/corpus';

/** The chunks with these ids that still exist, by id; ids no longer in the corpus are left out. */
export async function loadChunks(client: CorpusClient, ids: readonly string[]): Promise<Map<string, Chunk>> {
  const wanted = new Set(ids);
  const paths = await client.call('chunkArticles', { ids: [...wanted] });
  const found = new Map<string, Chunk>();
  for (const path of new Set(paths.filter((p): p is string => p !== null))) {
    for (const chunk of await client.call('chunksOf', { path })) if (wanted.has(chunk.id)) found.set(chunk.id, chunk);
  }
  return found;
}

/** Every chunk of the given articles, article by article in the order given, each in reading order. */
export async function chunksOfArticles(client: CorpusClient, paths: readonly string[]): Promise<Chunk[]> {
  const all: Chunk[] = [];
  for (const path of paths) {
    const chunks = await client.call('chunksOf', { path });
    all.push(...[...chunks].sort((a, b) => a.index - b.index));
  }
  return all;
}
