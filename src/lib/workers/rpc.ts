// A small typed request/response/progress/error protocol over postMessage, used by every worker.
// An API is a record of methods `{ params, result, progress }`; the client and the handler share it
// with `import type`, so the message kind and its payload can never disagree.
import { CancelledError, deserializeError, serializeError, WorkerMessageError, type SerializedError } from '../core/errors';

/** The shape of one remote method. */
export interface MethodSpec {
  params: unknown;
  result: unknown;
  progress: unknown;
}
export type Api = Record<string, MethodSpec>;

export type RpcRequest<A extends Api> = {
  [M in keyof A & string]: { kind: 'request'; id: number; method: M; params: A[M]['params'] };
}[keyof A & string];
export type RpcCancel = { kind: 'cancel'; id: number };
export type ToWorker<A extends Api> = RpcRequest<A> | RpcCancel;

export type ToClient =
  /** Sent right before a result: a result that then cannot be read (`messageerror`) still names its call. */
  | { kind: 'reply'; id: number }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'error'; id: number; error: SerializedError };

/** Anything with postMessage/onmessage: a Worker, a worker's global scope, or a MessagePort. */
export interface Endpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror', listener: (event: MessageEvent) => void): void;
}

export interface CallOptions<P> {
  onProgress?: (progress: P) => void;
  signal?: AbortSignal;
  transfer?: Transferable[];
}

/** Main-thread side: `call` returns a promise; aborting the signal sends a cancel to the worker. */
export class RpcClient<A extends Api> {
  private nextId = 1;
  private pending = new Map<
    number,
    { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (p: unknown) => void }
  >();
  /** The call whose result is the next message, announced by a `reply` message. */
  private announced: number | null = null;

  constructor(private readonly endpoint: Endpoint) {
    endpoint.addEventListener('message', (event) => this.receive(event.data as ToClient));
    endpoint.addEventListener('messageerror', () => this.unreadable());
  }

  call<M extends keyof A & string>(
    method: M,
    params: A[M]['params'],
    options: CallOptions<A[M]['progress']> = {},
  ): Promise<A[M]['result']> {
    const id = this.nextId++;
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const onAbort = () => this.endpoint.postMessage({ kind: 'cancel', id } satisfies RpcCancel);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        method,
        resolve: (v) => (done(), resolve(v as A[M]['result'])),
        reject: (e) => (done(), reject(e)),
        onProgress: options.onProgress as ((p: unknown) => void) | undefined,
      });
      const request = { kind: 'request', id, method, params } as RpcRequest<A>;
      this.endpoint.postMessage(request, options.transfer ?? []);
    });
  }

  /** Rejects every pending call, e.g. when the worker crashed or was terminated. */
  failAll(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }

  /**
   * A message arrived that this thread cannot deserialise. Messages keep their order, so when a result was
   * announced, it is that call's result: reject it rather than leave it pending forever. A lost progress
   * report (nothing announced) only costs that report.
   */
  private unreadable(): void {
    const id = this.announced;
    this.announced = null;
    const entry = id === null ? undefined : this.pending.get(id);
    if (id === null || !entry) return;
    this.pending.delete(id);
    entry.reject(new WorkerMessageError(`The worker's answer to "${entry.method}" could not be read on this page (it held data that cannot cross threads). Try again; if it keeps happening, reload the page.`));
  }

  private receive(message: ToClient): void {
    if (message.kind === 'reply') {
      this.announced = message.id;
      return;
    }
    if (message.kind !== 'progress') this.announced = null;
    const entry = this.pending.get(message.id);
    if (!entry) return; // a reply to a call already failed or abandoned
    if (message.kind === 'progress') {
      entry.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.kind === 'result') entry.resolve(message.result);
    else entry.reject(deserializeError(message.error));
  }
}

/** What a handler gets besides its params. */
export interface HandlerContext<P> {
  signal: AbortSignal;
  progress(progress: P): void;
  /** Buffers to transfer (not copy) with the result. */
  transfer(...buffers: Transferable[]): void;
}

export type Handlers<A extends Api> = {
  [M in keyof A]: (params: A[M]['params'], context: HandlerContext<A[M]['progress']>) => Promise<A[M]['result']>;
};

/**
 * Worker side: dispatches requests to handlers. Call it synchronously at the top of the worker
 * module, before any `await`, so no early message is lost. Handlers may arrive as a promise (a
 * dynamic import of modules with top-level await, such as voy's wasm): requests wait for them.
 */
export function serveRpc<A extends Api>(endpoint: Endpoint, handlersOrPromise: Handlers<A> | Promise<Handlers<A>>): void {
  const ready = Promise.resolve(handlersOrPromise);
  const running = new Map<number, AbortController>();
  endpoint.addEventListener('message', async (event) => {
    const message = event.data as ToWorker<A>;
    if (message.kind === 'cancel') {
      running.get(message.id)?.abort(new CancelledError());
      return;
    }
    const { id, method, params } = message;
    const controller = new AbortController();
    running.set(id, controller);
    const transfer: Transferable[] = [];
    const context: HandlerContext<unknown> = {
      signal: controller.signal,
      progress: (progress) => endpoint.postMessage({ kind: 'progress', id, progress } satisfies ToClient),
      transfer: (...buffers) => transfer.push(...buffers),
    };
    try {
      const handlers = await ready;
      const handler = handlers[method] as (p: unknown, c: HandlerContext<unknown>) => Promise<unknown>;
      if (!handler) throw new Error(`Unknown method "${method}". Known: ${Object.keys(handlers).join(', ')}.`);
      const result = await handler(params, context);
      endpoint.postMessage({ kind: 'reply', id } satisfies ToClient);
      endpoint.postMessage({ kind: 'result', id, result } satisfies ToClient, transfer);
    } catch (error) {
      endpoint.postMessage({ kind: 'error', id, error: serializeError(error) } satisfies ToClient);
    } finally {
      running.delete(id);
    }
  });
}
