// The app's embedder: a worker running the embedding model, behind the Embedder interface.
import type { LoadOptions, ModelSource } from '../core/models';
import type { EmbedApi, EmbedResult } from '../workers/embed/protocol';
import type { LoadedModel, LoadProgress } from '../workers/models/protocol';
import { ModelWorkerClient } from './model-client';
import type { Endpoint } from '../workers/rpc';

export interface Embedder {
  load(source: ModelSource, options: LoadOptions, hooks?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<LoadedModel>;
  embed(texts: string[], hooks?: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void }): Promise<EmbedResult>;
  countTokens(texts: string[]): Promise<number[]>;
  setHubAllowed(allowHub: boolean): Promise<void>;
  terminate(): void;
}

export class EmbedderClient implements Embedder {
  private readonly client: ModelWorkerClient<EmbedApi>;

  constructor(endpoint?: Endpoint, dispose?: () => void) {
    this.client = new ModelWorkerClient<EmbedApi>(endpoint ?? (() => new Worker(new URL('../workers/embed/embed.worker.ts', import.meta.url), { type: 'module', name: 'embedder' })), dispose);
  }

  load(source: ModelSource, options: LoadOptions, hooks: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {}) {
    return this.client.call('load', { source, options }, hooks);
  }

  embed(texts: string[], hooks: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {}) {
    return this.client.call('embed', { texts }, hooks);
  }

  countTokens(texts: string[]) {
    return this.client.call('countTokens', { texts });
  }

  setHubAllowed(allowHub: boolean) {
    return this.client.call('configure', { allowHub });
  }

  terminate() {
    this.client.terminate();
  }
}
