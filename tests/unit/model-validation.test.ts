// Validation before (and right after) loading, through the app's one loading path in Node: a decoder
// exported without its KV cache is refused from local files, from a folder URL (read with Range
// requests, or checked after load where the server ignores Range) and from the Hub (the loaded
// session's inputs); a Hub download too large for the runtime is stopped as soon as its size is known.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { ModelLoadError } from '../../src/lib/core/errors';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';
import type { LoadProgress } from '../../src/lib/workers/models/protocol';

const MODELS = resolve(import.meta.dirname, '../models');
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;
const HUGE = 5 * 1024 ** 3;

interface Logged {
  method: string;
  path: string;
  range?: string;
}
const log: Logged[] = [];
let server: Server;
let base = '';
const realRemoteHost = env.remoteHost;

/**
 * Serves tests/models three ways: `/hub/{id}/resolve/{rev}/{file}` like the Hub, `/range/{id}/{file}`
 * with Range support and `/plain/{id}/{file}` ignoring Range. `huge/model` announces a 5 GiB ONNX file.
 */
function serve(): Promise<void> {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    log.push({ method: req.method!, path: url.pathname, range: req.headers.range });
    const [, mode, owner, name, ...rest] = url.pathname.split('/');
    const file = mode === 'hub' ? rest.slice(2).join('/') : rest.join('/');
    if (owner === 'huge' && file === 'onnx/model.onnx') {
      res.writeHead(200, { 'content-length': String(HUGE) });
      res.write(new Uint8Array(64 * 1024));
      return; // never finishes: the loader must stop reading
    }
    const id = owner === 'huge' ? 'tiny/llama' : `${owner}/${name}`;
    const path = resolve(MODELS, id, file);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return void res.writeHead(404).end();
    const range = mode === 'range' ? /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '') : null;
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), info.size - 1);
      res.writeHead(206, { 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${info.size}`, 'accept-ranges': 'bytes' });
      return void (req.method === 'HEAD' ? res.end() : createReadStream(path, { start, end }).pipe(res));
    }
    res.writeHead(200, { 'content-length': String(info.size) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      done();
    }),
  );
}

/**
 * The browser's Cache Storage, in memory: transformers.js hands a Hub download back to ONNX Runtime
 * through the cache, so the Hub path needs one (Node has none).
 */
function memoryCaches(): CacheStorage {
  const stores = new Map<string, Map<string, { body: ArrayBuffer; headers: Headers }>>();
  const open = async (name: string) => {
    const store = stores.get(name) ?? new Map();
    stores.set(name, store);
    return {
      async match(key: string) {
        const hit = store.get(String(key));
        return hit ? new Response(hit.body.slice(0), { headers: hit.headers }) : undefined;
      },
      async put(key: string, response: Response) {
        store.set(String(key), { body: await response.arrayBuffer(), headers: new Headers(response.headers) });
      },
    };
  };
  return { open } as unknown as CacheStorage;
}

beforeAll(async () => {
  (globalThis as { caches?: CacheStorage }).caches = memoryCaches();
  await serve();
});
afterAll(async () => {
  env.remoteHost = realRemoteHost;
  delete (globalThis as { caches?: CacheStorage }).caches;
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const open: GeneratorClient[] = [];
afterEach(() => {
  open.splice(0).forEach((c) => c.terminate());
  log.length = 0;
});

function generator(allowHub = false): GeneratorClient {
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub }));
  const client = new GeneratorClient(endpoint, close);
  open.push(client);
  return client;
}

describe('a decoder exported without its KV cache is refused with a clear message', () => {
  const message = /onnx\/model\.onnx of .* has no KV-cache inputs .* it was exported without the cache/;

  test('local files: refused from the protobuf, before the runtime reads any file', async () => {
    const events: LoadProgress[] = [];
    const error = await generator()
      .load(await readModelFolder(resolve(MODELS, 'broken/no-kv-cache')), FP32, { onProgress: (p) => events.push(p) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('missing-inputs');
    expect(error.message).toMatch(message);
    expect(events).toEqual([]);
  });

  test('a folder URL with Range support: a few slices of the ONNX file, never the whole file', async () => {
    const error = await generator()
      .load({ kind: 'url', url: `${base}/range/broken/no-kv-cache/` }, FP32)
      .catch((e) => e);
    expect(error.problem).toBe('missing-inputs');
    expect(error.message).toMatch(message);
    const onnxGets = log.filter((r) => r.method === 'GET' && r.path.endsWith('/onnx/model.onnx'));
    expect(onnxGets.length).toBeGreaterThan(0);
    expect(onnxGets.every((r) => r.range)).toBe(true);
  });

  test('a folder URL whose server ignores Range: the loaded session is checked instead', async () => {
    const error = await generator()
      .load({ kind: 'url', url: `${base}/plain/broken/no-kv-cache/` }, FP32)
      .catch((e) => e);
    expect(error.problem).toBe('missing-inputs');
    expect(error.message).toMatch(message);
  });

  test('the Hub: the loaded session is checked, and the worker then loads a good model', async () => {
    env.remoteHost = `${base}/hub/`;
    const client = generator(true);
    const error = await client.load({ kind: 'hub', id: 'broken/no-kv-cache' }, FP32).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.message).toMatch(/onnx\/model\.onnx of broken\/no-kv-cache has no KV-cache inputs/);
    expect(log.some((r) => r.path === '/hub/broken/no-kv-cache/resolve/main/onnx/model.onnx')).toBe(true);
    const model = await client.load({ kind: 'hub', id: 'tiny/llama' }, FP32);
    expect(model.modelType).toBe('llama');
    expect(model.bytes).toBeGreaterThan(100_000);
  });
});

test('the Hub: an encoder picked as the language model is refused from its config.json, before any ONNX download', async () => {
  env.remoteHost = `${base}/hub/`;
  const error = await generator(true).load({ kind: 'hub', id: 'tiny/embedder' }, FP32).catch((e) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect(error.problem).toBe('wrong-role');
  expect(error.message).toMatch(/^tiny\/embedder is an encoder .*\(BertModel\), but a language model must be a causal language model/);
  expect(log.some((r) => r.path === '/hub/tiny/embedder/resolve/main/config.json')).toBe(true);
  expect(log.some((r) => r.path.includes('/onnx/'))).toBe(false);
});

// NOTE: the server never ends that file's body, so a loader that reads on instead of stopping hangs
// until the hang guard (the test's timeout) fails it.
test('a Hub model larger than the runtime can hold is stopped as soon as its size is announced (hang guard: 60 s)', { timeout: 60_000 }, async () => {
  env.remoteHost = `${base}/hub/`;
  const error = await generator(true).load({ kind: 'hub', id: 'huge/model' }, FP32).catch((e) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect(error.problem).toBe('too-large');
  expect(error.message).toContain('onnx/model.onnx is 5.4 GB: ONNX Runtime cannot read a single ONNX file over 2 GiB');
});

test('the good tiny Llama from a Range-capable folder URL passes the same checks and reports its size', async () => {
  const model = await generator().load({ kind: 'url', url: `${base}/range/tiny/llama/` }, FP32);
  expect(model.modelType).toBe('llama');
  const onnx = await stat(resolve(MODELS, 'tiny/llama/onnx/model.onnx'));
  expect(model.bytes).toBe(onnx.size);
});

describe('WebGPU falls back to WASM, and says why', () => {
  /** A WebGPU adapter as the worker would see it; Node's runtime then has no WebGPU backend. */
  async function withAdapter<T>(limit: number, work: () => Promise<T>): Promise<T> {
    const adapter = { info: { vendor: 'test-gpu' }, limits: { maxBufferSize: limit, maxStorageBufferBindingSize: limit } };
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => adapter } }, configurable: true });
    try {
      return await work();
    } finally {
      Reflect.deleteProperty(globalThis, 'navigator');
    }
  }
  const llama = () => readModelFolder(resolve(MODELS, 'tiny/llama'));

  test("before loading, when the token embedding is over the adapter's buffer limit", async () => {
    const model = await withAdapter(1_000, async () => generator().load({ ...(await llama()), name: 'small-gpu' }, { device: 'auto', dtype: 'fp32' }));
    expect(model.device.device).toBe('wasm');
    expect(model.device.reason).toMatch(/^WASM, because its largest weight \(at least \d+ kB\) is over this WebGPU adapter's buffer limit \(1 kB\)$/);
  });

  test('after WebGPU failed to build the session', async () => {
    const model = await withAdapter(2 ** 30, async () => generator().load({ ...(await llama()), name: 'failing-gpu' }, { device: 'webgpu', dtype: 'fp32' }));
    expect(model.device.device).toBe('wasm');
    expect(model.device.reason).toMatch(/^WASM, because WebGPU could not load it \(.*webgpu.*\)$/is);
  });
});
