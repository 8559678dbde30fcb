// A model worker that dies with a call in flight (as when memory runs out), in real Chromium: the call rejects with
// WorkerCrashedError, which the model card tells from a failed load by its type (it then starts a fresh worker).
import { expect, test } from 'vitest';
import { ModelWorkerClient } from '../../src/lib/clients/model-client';
import { WorkerCrashedError } from '../../src/lib/core/errors';

type CrashApi = { load: { params: { model: string }; result: string; progress: never } };

test('a worker that dies while answering rejects the call with WorkerCrashedError, saying to reload', async () => {
  const url = URL.createObjectURL(new Blob(["self.onmessage = () => { throw new Error('simulated out of memory'); };"], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const client = new ModelWorkerClient<CrashApi>(worker, () => worker.terminate());
  try {
    const error = await client.call('load', { model: 'huge' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toMatch(/^The model worker crashed: .*simulated out of memory.*\. Reload the model to continue\.$/);
  } finally {
    client.terminate();
    URL.revokeObjectURL(url);
  }
});
