// A folder URL that cannot be fetched at all: browsers reject a request the server's CORS headers do not
// allow with a bare TypeError ("Failed to fetch"), which the loader used to pass on as it was. Here fetch
// fails that way, as Chromium does, and the app's loading path (the corpus worker, loading the embedder) words it.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { CorpusClient } from '../../src/lib/clients/corpus';
import { ModelLoadError } from '../../src/lib/core/errors';
import type { LoadOptions, ModelSource } from '../../src/lib/core/models';
import { fetchFailure } from '../../src/lib/workers/models/mounts';
import { corpusWorkers } from '../support/corpus-harness';

const PAGE = 'http://app.test:5173';
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;
const realFetch = globalThis.fetch;
const requested: string[] = [];
const workers = corpusWorkers('model-url-errors');
let client: CorpusClient;
const load = (source: ModelSource, options: LoadOptions) => client.call('loadEmbedder', { source, options });

beforeEach(async () => {
  // The page's origin, as a worker of the app sees it.
  Object.defineProperty(globalThis, 'location', { value: new URL(`${PAGE}/`), configurable: true });
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    requested.push(String(input));
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;
  ({ client } = await workers.open());
});

afterEach(() => {
  globalThis.fetch = realFetch;
  Reflect.deleteProperty(globalThis, 'location');
  requested.length = 0;
});

test('a folder on another origin that fails to fetch says the server must allow cross-origin requests', async () => {
  const error = await load({ kind: 'url', url: 'http://models.example:8080/tiny/embedder/' }, FP32).catch((e) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect(error.problem).toBe('network');
  expect(error.message).toMatch(/config\.json could not be read from this page \(Failed to fetch\): a model folder on another origin \(http:\/\/models\.example:8080\)/);
  expect(error.message).toContain('must be served with cross-origin requests allowed, i.e. the header "Access-Control-Allow-Origin: http://app.test:5173"');
  expect(requested.length).toBeGreaterThan(0);
});

test('the same failure on the page’s own origin says the server is not reachable, without blaming CORS', async () => {
  const error = await load({ kind: 'url', url: `${PAGE}/models/tiny/embedder/` }, FP32).catch((e) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect(error.message).toMatch(/^Could not reach .*config\.json \(Failed to fetch\): check that the server is running/);
  expect(error.message).not.toMatch(/cross-origin/);
});

test('only a fetch without an HTTP answer is reworded: a cancel stays a cancel', () => {
  const abort = new DOMException('The operation was aborted.', 'AbortError');
  expect(fetchFailure('http://models.example/x', abort, PAGE)).toBe(abort);
  // No page origin (the CLI in Node): nothing is cross-origin.
  expect((fetchFailure('http://models.example/x', new TypeError('fetch failed'), null) as Error).message).toMatch(/^Could not reach/);
});
