// Main-thread proxy for a model worker: typed calls, worker crashes surfaced as errors, and an
// in-process variant over a MessageChannel for Node (tests, CLI) that runs the same protocol.
import { WorkerCrashedError } from '../core/errors';
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
