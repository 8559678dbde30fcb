// The app's corpus: a worker that owns chunks, vectors, the embedding model and the indexes.
import type { Endpoint } from '../workers/rpc';
import type { CorpusApi } from '../workers/corpus/protocol';
import { ModelWorkerClient } from './model-client';

export class CorpusClient extends ModelWorkerClient<CorpusApi> {
  constructor(endpoint?: Endpoint, dispose?: () => void) {
    super(endpoint ?? (() => new Worker(new URL('../workers/corpus/corpus.worker.ts', import.meta.url), { type: 'module', name: 'corpus' })), dispose);
  }
}
