// The app's one model-loading path, run in Node through the same handlers and protocol as the workers: the
// embedder loads into the corpus worker (as the app loads it), the language model into the generation worker.
import { resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { ModelLoadError } from '../../src/lib/core/errors';
import { readModelFolder } from '../../src/cli/model-folder';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';
import { explainLoadError } from '../../src/lib/workers/models/load';
import type { LoadOptions, ModelSource } from '../../src/lib/core/models';
import type { LoadProgress } from '../../src/lib/workers/models/protocol';
import { corpusWorkers } from '../support/corpus-harness';

const MODELS = resolve(import.meta.dirname, '../models');
const folder = (name: string) => readModelFolder(resolve(MODELS, name));
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;

const open: { terminate(): void }[] = [];
afterEach(() => open.splice(0).forEach((c) => c.terminate()));

const corpora = corpusWorkers('model-loading');
type Hooks = { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void };

/** A fresh corpus worker (opened, empty), as the app loads its embedder: `load` returns the loaded model. */
async function embedder() {
  const { client } = await corpora.open();
  return {
    load: async (source: ModelSource, options: LoadOptions, hooks: Hooks = {}) => (await client.call('loadEmbedder', { source, options }, hooks)).embedder.loaded!,
  };
}
/** Loads the embedder into a fresh corpus worker. */
const loadEmbedder = async (source: ModelSource, options: LoadOptions, hooks?: Hooks) => (await embedder()).load(source, options, hooks);

function generator() {
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const client = new GeneratorClient(endpoint, close);
  open.push(client);
  return client;
}

test('loading reports every file with its bytes and ends at 100%', async () => {
  const events: LoadProgress[] = [];
  const model = await loadEmbedder(await folder('tiny/embedder'), FP32, { onProgress: (p) => events.push(p) });
  expect(model.modelType).toBe('bert');
  expect(model.device.device).toBe('wasm');
  const last = events.at(-1)!;
  expect(last.files.map((f) => f.file)).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx']));
  const onnx = last.files.find((f) => f.file === 'onnx/model.onnx')!;
  expect(onnx.total).toBeGreaterThan(100_000);
  expect(onnx.loaded).toBe(onnx.total);
  expect(last.fraction).toBe(1);
});

describe('a broken model folder gets an error naming the problem', () => {
  test('missing tokenizer', async () => {
    const error = await loadEmbedder(await folder('broken/missing-tokenizer'), FP32).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('missing-file');
    expect(error.message).toMatch(/no tokenizer\.json/);
  });
  test('corrupt ONNX file', async () => {
    const error = await loadEmbedder(await folder('broken/corrupt-onnx'), FP32).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('corrupt-onnx');
    expect(error.message).toMatch(/ONNX file .* could not be read: it is corrupt/);
  });
  test('unsupported architecture', async () => {
    const error = await generator().load(await folder('broken/unsupported-arch'), FP32).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('unsupported-architecture');
    expect(error.message).toContain('"tiny-unknown-arch" is not supported');
  });
  test('a dtype the folder does not have', async () => {
    const error = await loadEmbedder(await folder('tiny/embedder'), { device: 'wasm', dtype: 'q4f16' }).catch((e) => e);
    expect(error.message).toContain('no onnx/model_q4f16.onnx for dtype q4f16. Available: fp32');
  });
});

test('after a failed load the same worker loads a good model', async () => {
  const client = generator();
  await expect(client.load(await folder('broken/unsupported-arch'), FP32)).rejects.toThrow(ModelLoadError);
  await client.load(await folder('tiny/echo'), FP32);
  const result = await client.generate([{ role: 'user', content: 'Still usable.' }], { maxNewTokens: 40, temperature: 0, topP: 1, greedy: true });
  expect(result.text).toBe('Still usable.');
});

test('a model without a chat template is refused and the loaded model keeps answering', async () => {
  const client = generator();
  await client.load(await folder('tiny/echo'), FP32);
  const events: LoadProgress[] = [];
  const error = await client.load(await folder('broken/no-chat-template'), FP32, { onProgress: (p) => events.push(p) }).catch((e) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  expect(error.message).toMatch(/has no chat_template in tokenizer_config\.json.*Pick a chat \(instruction-tuned\) model/);
  // Refused from its tokenizer: its weights were never read.
  expect(events.flatMap((e) => e.files.map((f) => f.file))).not.toContain('onnx/model.onnx');
  // The echo model was not freed: it still formats and answers.
  expect(await client.applyTemplate([{ role: 'user', content: 'Hi' }])).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  const result = await client.generate([{ role: 'user', content: 'Still here.' }], { maxNewTokens: 40, temperature: 0, topP: 1, greedy: true });
  expect(result.text).toBe('Still here.');
});

test('with the Hub switched off, a Hub id fails with a clear message and no request', async () => {
  const requested: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    requested.push(String(input));
    throw new Error('network used');
  }) as typeof fetch;
  try {
    const error = await loadEmbedder({ kind: 'hub', id: 'Xenova/all-MiniLM-L6-v2' }, FP32).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('hub-disabled');
    expect(error.message).toMatch(/switched off/);
  } finally {
    globalThis.fetch = realFetch;
  }
  expect(requested).toEqual([]);
});

test('the chat template is applied and the random Llama runs to max_new_tokens', async () => {
  const client = generator();
  await client.load(await folder('tiny/llama'), FP32);
  const prompt = await client.applyTemplate([{ role: 'user', content: 'Hi' }]);
  expect(prompt).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  const result = await client.generate([{ role: 'user', content: 'Hi' }], { maxNewTokens: 24, temperature: 0, topP: 1, greedy: true });
  expect(result.tokens).toBe(24);
  expect(result.stoppedBy).toBe('max-tokens');
});

test('a cancelled load rejects with CancelledError and a retry loads afresh', async () => {
  const client = await embedder();
  // A name of its own, so no earlier test's load of the same folder is reused from the cache.
  const source = { ...(await folder('tiny/embedder')), name: 'cancel-me' };
  const controller = new AbortController();
  const pending = client.load(source, FP32, { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'CancelledError' });
  const model = await client.load(source, FP32);
  expect(model.modelType).toBe('bert');
});

test('loading the same model again is served from the cache: no file is read twice', async () => {
  const client = await embedder();
  const source = { ...(await folder('tiny/embedder')), name: 'cache-me' };
  const first: LoadProgress[] = [];
  await client.load(source, FP32, { onProgress: (p) => first.push(p) });
  const second: LoadProgress[] = [];
  const again = await client.load(source, FP32, { onProgress: (p) => second.push(p) });
  expect(first.length).toBeGreaterThan(0);
  expect(second).toEqual([]);
  expect(again.modelType).toBe('bert');
});

describe('runtime failures are worded for the user', () => {
  test('running out of memory names it and says what to pick instead', () => {
    for (const raw of [new RangeError('Array buffer allocation failed'), new Error('WebAssembly.Memory(): could not allocate memory'), new Error('std::bad_alloc')]) {
      const error = explainLoadError(raw, 'org/model', 'fp32') as ModelLoadError;
      expect(error.problem).toBe('out-of-memory');
      expect(error.message).toMatch(/ran out of memory .* smaller dtype .* one language model at a time/);
    }
  });
  test('a model whose name only looks like a memory word is not taken for it', () => {
    expect((explainLoadError(new Error('bigscience/bloom: session failed'), 'bigscience/bloom', 'q8') as ModelLoadError).problem).toBe('unknown');
  });
});
