// Main-thread proxy for a model worker: typed calls, worker crashes surfaced as errors, and an
// in-process variant over a MessageChannel for Node (tests, CLI) that runs the same protocol.
import { RpcClient, serveRpc, type Api, type CallOptions, type Endpoint, type Handlers } from '../workers/rpc';

export class ModelWorkerClient<A extends Api> {
  readonly rpc: RpcClient<A>;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly dispose: () => void = () => {},
  ) {
    this.rpc = new RpcClient<A>(endpoint);
    if (typeof Worker !== 'undefined' && endpoint instanceof Worker) {
      endpoint.addEventListener('error', (event) => {
        event.preventDefault();
        this.rpc.failAll(new Error(`The model worker crashed: ${event.message || 'unknown error'}. Reload the model to continue.`));
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
