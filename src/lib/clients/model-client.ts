// Main-thread proxy for a model worker: typed calls, worker crashes surfaced as errors, and an
// in-process variant over a MessageChannel for Node (tests, CLI) that runs the same protocol.
import { WorkerCrashedError } from '../core/errors';
import type { LoadOptions, ModelSource } from '../core/models';
import type { LoadedModel, LoadProgress } from '../core/model-status';
import type { LoadMethod, SettingsMethod, WorkerSettings } from '../workers/models/protocol';
import { RpcClient, serveRpc, type Api, type CallOptions, type Endpoint, type Handlers } from '../workers/rpc';

/** A worker a client starts itself, when no endpoint is given. */
export type SpawnWorker = () => Worker;

export class ModelWorkerClient<A extends Api> {
  readonly rpc: RpcClient<A>;
  private readonly dispose: () => void;

  /**
   * `target`: an endpoint given by the caller (tests, the CLI), closed by `dispose`; or a function that starts
   * the worker, which the client then owns and terminates.
   * NOTE: write `spawn` as `() => new Worker(new URL('…', import.meta.url), { type: 'module', name: '…' })` at the
   * call site: Vite finds and bundles a worker only from that literal pattern, so it cannot move into a helper.
   */
  constructor(target: Endpoint | SpawnWorker, dispose: () => void = () => {}) {
    let endpoint: Endpoint;
    if (typeof target === 'function') {
      const worker = target();
      endpoint = worker;
      this.dispose = () => worker.terminate();
    } else {
      endpoint = target;
      this.dispose = dispose;
    }
    this.rpc = new RpcClient<A>(endpoint);
    if (typeof Worker !== 'undefined' && endpoint instanceof Worker) {
      endpoint.addEventListener('error', (event) => {
        event.preventDefault();
        this.rpc.failAll(new WorkerCrashedError(`The model worker crashed: ${event.message || 'unknown error'}. Reload the model to continue.`));
      });
    }
  }

  call<M extends keyof A & string>(method: M, params: A[M]['params'], options?: CallOptions<A[M]['progress']>): Promise<A[M]['result']> {
    return this.rpc.call(method, params, options);
  }

  terminate(): void {
    this.rpc.failAll(new Error('The model worker was stopped.'));
    this.dispose();
  }
}

/** The methods every model worker answers, whatever its model does. */
export type ModelApi = { configure: SettingsMethod; load: LoadMethod };

/** The calls every model client offers: load a model, say whether the worker may reach the Hub, stop it. */
export interface LoadableModel {
  load(source: ModelSource, options: LoadOptions, hooks?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<LoadedModel>;
  /** Tells the worker whether it may reach the Hub and how many threads ORT gets (before its first model). */
  configure(settings: WorkerSettings): Promise<void>;
  terminate(): void;
}

/** Base of the model clients (embedder, generator): the worker connection and the calls every model worker answers. */
export abstract class ModelClientBase<A extends ModelApi & Api> implements LoadableModel {
  protected readonly client: ModelWorkerClient<A>;
  readonly #models: ModelWorkerClient<ModelApi>;

  constructor(target: Endpoint | SpawnWorker, dispose?: () => void) {
    this.client = new ModelWorkerClient<A>(target, dispose);
    // NOTE: the same client, typed by the part of the API every model worker shares.
    this.#models = this.client as unknown as ModelWorkerClient<ModelApi>;
  }

  load(source: ModelSource, options: LoadOptions, hooks: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {}): Promise<LoadedModel> {
    return this.#models.call('load', { source, options }, hooks);
  }

  configure(settings: WorkerSettings): Promise<void> {
    return this.#models.call('configure', settings);
  }

  terminate(): void {
    this.client.terminate();
  }
}

/** Runs `handlers` in this thread behind a MessageChannel: the same messages, no worker. */
export function inProcessEndpoint<A extends Api>(handlers: Handlers<A>): { endpoint: Endpoint; close: () => void } {
  const channel = new MessageChannel();
  serveRpc<A>(channel.port2, handlers);
  channel.port1.start();
  channel.port2.start();
  return {
    endpoint: channel.port1,
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
