// The app's embedder: a worker running the embedding model, behind the Embedder interface.
import type { EmbedApi, EmbedResult } from '../workers/embed/protocol';
import type { Endpoint } from '../workers/rpc';
import { ModelClientBase, type LoadableModel } from './model-client';

export interface Embedder extends LoadableModel {
  embed(texts: string[], hooks?: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void }): Promise<EmbedResult>;
  countTokens(texts: string[]): Promise<number[]>;
}

export class EmbedderClient extends ModelClientBase<EmbedApi> implements Embedder {
  constructor(endpoint?: Endpoint, dispose?: () => void) {
    super(endpoint ?? (() => new Worker(new URL('../workers/embed/embed.worker.ts', import.meta.url), { type: 'module', name: 'embedder' })), dispose);
  }

  embed(texts: string[], hooks: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {}) {
    return this.client.call('embed', { texts }, hooks);
  }

  countTokens(texts: string[]) {
    return this.client.call('countTokens', { texts });
  }
}
