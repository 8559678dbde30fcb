import { afterEach, expect, test } from 'vitest';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { CancelledError, messageOf, ModelLoadError, WorkerCrashedError, WorkerMessageError } from '../../src/lib/core/errors';
import { RpcClient, type Endpoint, type Handlers } from '../../src/lib/workers/rpc';

type TestApi = {
  double: { params: { values: Float32Array }; result: Float32Array; progress: number };
  fail: { params: { problem: 'missing-file' }; result: void; progress: never };
  crash: { params: Record<string, never>; result: void; progress: never };
  wait: { params: { steps: number }; result: number; progress: number };
};

const handlers: Handlers<TestApi> = {
  async double({ values }, { progress, transfer }) {
    const out = values.map((v) => v * 2);
    progress(50);
    progress(100);
    transfer(out.buffer);
    return out;
  },
  async fail({ problem }) {
    throw new ModelLoadError('The model folder has no tokenizer.json.', problem);
  },
  async crash() {
    throw new WorkerCrashedError('The model worker crashed: out of memory. Reload the model to continue.');
  },
  async wait({ steps }, { signal, progress }) {
    for (let i = 0; i < steps; i++) {
      if (signal.aborted) throw new CancelledError('stopped at ' + i);
      progress(i);
      await new Promise((r) => setTimeout(r, 5));
    }
    return steps;
  },
};

let close = () => {};
afterEach(() => close());

function client() {
  const pair = inProcessEndpoint(handlers);
  close = pair.close;
  return new RpcClient<TestApi>(pair.endpoint);
}

test('results and progress arrive in order, and typed arrays survive the trip', async () => {
  const seen: number[] = [];
  const result = await client().call('double', { values: new Float32Array([1, 2, 3]) }, { onProgress: (p) => seen.push(p) });
  expect(Array.from(result)).toEqual([2, 4, 6]);
  expect(result).toBeInstanceOf(Float32Array);
  expect(seen).toEqual([50, 100]);
});

test('errors are rebuilt as their own class with their problem code', async () => {
  const error = await client().call('fail', { problem: 'missing-file' }).catch((e) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect(error.problem).toBe('missing-file');
  expect(error.message).toContain('tokenizer.json');
});

test('aborting the signal cancels the remote work', async () => {
  const controller = new AbortController();
  const pending = client().call('wait', { steps: 1000 }, { signal: controller.signal, onProgress: (i) => i === 3 && controller.abort() });
  await expect(pending).rejects.toBeInstanceOf(CancelledError);
});

test('concurrent calls are answered by id, not by order', async () => {
  const rpc = client();
  const [slow, fast] = await Promise.all([rpc.call('wait', { steps: 6 }), rpc.call('wait', { steps: 1 })]);
  expect([slow, fast]).toEqual([6, 1]);
});

test('a crashed worker arrives as WorkerCrashedError, so state can tell it from a failed load without reading its words', async () => {
  const error = await client().call('crash', {}).catch((e) => e);
  expect(error).toBeInstanceOf(WorkerCrashedError);
  expect(error.name).toBe('WorkerCrashedError');
  expect(error.message).toContain('Reload the model');
});

/**
 * The real in-process channel, except that the messages `unreadable` picks reach the client as the browser
 * delivers a message it cannot deserialise: a `messageerror` event with no data.
 */
function clientWithUnreadable(unreadable: (data: { kind: string; id: number; result?: unknown; progress?: unknown }) => boolean) {
  const pair = inProcessEndpoint(handlers);
  close = pair.close;
  const errorListeners: ((event: MessageEvent) => void)[] = [];
  const endpoint: Endpoint = {
    postMessage: (message, transfer) => pair.endpoint.postMessage(message, transfer),
    addEventListener(type, listener) {
      if (type === 'messageerror') return void errorListeners.push(listener);
      pair.endpoint.addEventListener('message', (event) => {
        if (unreadable(event.data)) errorListeners.forEach((l) => l(new MessageEvent('messageerror')));
        else listener(event);
      });
    },
  };
  return new RpcClient<TestApi>(endpoint);
}

test('a result that cannot be deserialised rejects its own call, not the others, instead of leaving it pending', async () => {
  const rpc = clientWithUnreadable((data) => data.kind === 'result' && data.result === 1);
  const [lost, answered] = await Promise.allSettled([rpc.call('wait', { steps: 1 }), rpc.call('wait', { steps: 3 })]);
  expect(lost.status).toBe('rejected');
  const error = (lost as PromiseRejectedResult).reason;
  expect(error).toBeInstanceOf(WorkerMessageError);
  expect(error.message).toMatch(/answer to "wait" could not be read .* Try again/);
  expect(answered).toEqual({ status: 'fulfilled', value: 3 });
});

test('a progress report that cannot be deserialised costs only that report', async () => {
  const seen: number[] = [];
  const rpc = clientWithUnreadable((data) => data.kind === 'progress' && data.progress === 1);
  expect(await rpc.call('wait', { steps: 3 }, { onProgress: (i) => seen.push(i) })).toBe(3);
  expect(seen).toEqual([0, 2]);
});

test('messageOf words anything thrown: an error by its message, anything else as text', () => {
  expect(messageOf(new ModelLoadError('No tokenizer.json.'))).toBe('No tokenizer.json.');
  expect(messageOf('quota exceeded')).toBe('quota exceeded');
  expect(messageOf(undefined)).toBe('undefined');
});
