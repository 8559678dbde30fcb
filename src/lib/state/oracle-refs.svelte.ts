// The oracle chunks' references for the pairs on screen (article path, headings, place in the article), read
// from the corpus worker article by article and kept until the pairs are read again.
import type { Chunk } from '../core/chunking';
import type { CorpusClient } from '../clients/corpus';
import { messageOf } from '../core/errors';
import { oracleChunkRefs, type OracleChunkRef } from '../core/questions/oracle-label';

export class OracleRefs {
  /** Chunk id → its reference, or null when it is no longer in the corpus. */
  refs = $state.raw<ReadonlyMap<string, OracleChunkRef | null>>(new Map());
  /** Why the last read failed ('' when it did not): the oracles then show as "…". */
  error = $state('');
  #generation = 0;

  constructor(private readonly client: () => CorpusClient) {}

  /** Forgets every reference (the corpus or the pairs changed). */
  clear(): void {
    this.#generation++;
    this.refs = new Map();
  }

  /** Reads the references of the ids not known yet; a read overtaken by `clear` is dropped. */
  async want(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.refs.has(id));
    if (missing.length === 0) return;
    const generation = this.#generation;
    try {
      const found = await this.#read(missing);
      if (generation !== this.#generation) return;
      this.refs = new Map([...this.refs, ...found]);
      this.error = '';
    } catch (error) {
      if (generation === this.#generation) this.error = `Could not read the oracle chunks: ${messageOf(error)}`;
    }
  }

  async #read(ids: string[]): Promise<Map<string, OracleChunkRef | null>> {
    const client = this.client();
    const paths = await client.call('chunkArticles', { ids });
    const found = new Map<string, OracleChunkRef | null>(ids.map((id) => [id, null]));
    for (const path of new Set(paths.filter((p): p is string => p !== null))) {
      const chunks: Chunk[] = await client.call('chunksOf', { path });
      for (const [id, ref] of oracleChunkRefs(chunks)) if (found.has(id)) found.set(id, ref);
    }
    return found;
  }
}
