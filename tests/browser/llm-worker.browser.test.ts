// The generation worker in real Chromium: streaming over the KV cache, EOS, and Stop.
import { expect, inject, test } from 'vitest';
import { GeneratorClient } from '../../src/lib/clients/generator';
import type { ModelFile } from '../../src/lib/core/models';

const backend = inject('backend');

/** Fetches a served model folder into File objects, as a directory upload would give them. */
async function asUploadedFolder(folder: string, paths: string[]): Promise<ModelFile[]> {
  return Promise.all(
    paths.map(async (path) => ({ path: `${folder.split('/').pop()}/${path}`, blob: await (await fetch(`${folder}/${path}`)).blob() })),
  );
}

const LM_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

test(`streams an exact echo over 20+ steps with the KV cache on ${backend}, then stops at EOS`, async () => {
  const generator = new GeneratorClient();
  try {
    const files = await asUploadedFolder('/tests/models/tiny/echo', LM_FILES);
    const model = await generator.load({ kind: 'files', name: 'echo', files }, { device: backend, dtype: 'fp32' });
    expect(model.device.device).toBe(backend);
    const message = 'Refunds are processed within five business days after the request is approved by billing.';
    const pieces: string[] = [];
    const result = await generator.generate([{ role: 'user', content: message }], { maxNewTokens: 200, temperature: 0, topP: 1, greedy: true }, {
      onToken: (t) => pieces.push(t.text),
    });
    // The echo model sees earlier tokens only through past_key_values: an exact echo proves the cache.
    expect(result.text).toBe(message);
    expect(pieces.join('')).toBe(message);
    expect(result.tokens).toBeGreaterThanOrEqual(20);
    expect(pieces.length).toBeGreaterThanOrEqual(10);
    expect(result.stoppedBy).toBe('eos');
    expect(result.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
  } finally {
    generator.terminate();
  }
});

test('Stop interrupts a long generation and keeps the partial text', async () => {
  const generator = new GeneratorClient();
  try {
    const files = await asUploadedFolder('/tests/models/tiny/llama', LM_FILES);
    await generator.load({ kind: 'files', name: 'llama', files }, { device: backend, dtype: 'fp32' });
    const controller = new AbortController();
    let streamed = 0;
    const result = await generator.generate([{ role: 'user', content: 'Tell me a long story.' }], { maxNewTokens: 400, temperature: 0, topP: 1, greedy: true }, {
      signal: controller.signal,
      onToken: (t) => {
        streamed = t.tokens;
        if (t.tokens >= 5) controller.abort();
      },
    });
    expect(result.stoppedBy).toBe('user');
    expect(result.tokens).toBeGreaterThanOrEqual(5);
    expect(result.tokens).toBeLessThan(400);
    expect(streamed).toBeLessThan(400);
  } finally {
    generator.terminate();
  }
});

test(`a folder URL whose decoder lacks the KV cache is refused from a few Range reads, before loading, on ${backend}`, async () => {
  const generator = new GeneratorClient();
  try {
    const progress: unknown[] = [];
    const error = await generator
      .load({ kind: 'url', url: '/tests/models/broken/no-kv-cache/' }, { device: backend, dtype: 'fp32' }, { onProgress: (p) => progress.push(p) })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', problem: 'missing-inputs' });
    // Refused before transformers.js read any file: no load progress at all.
    expect(progress).toEqual([]);
    expect(error.message).toMatch(/onnx\/model\.onnx of .*no-kv-cache\/ has no KV-cache inputs/);
    // The same worker then loads the good tiny Llama from its folder URL.
    const model = await generator.load({ kind: 'url', url: '/tests/models/tiny/llama/' }, { device: backend, dtype: 'fp32' });
    expect(model.modelType).toBe('llama');
    expect(model.bytes).toBeGreaterThan(100_000);
  } finally {
    generator.terminate();
  }
});

test(`a model without a chat template is refused and the loaded one keeps answering on ${backend}`, async () => {
  const generator = new GeneratorClient();
  try {
    await generator.load({ kind: 'url', url: '/tests/models/tiny/echo/' }, { device: backend, dtype: 'fp32' });
    const error = await generator.load({ kind: 'url', url: '/tests/models/broken/no-chat-template/' }, { device: backend, dtype: 'fp32' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError' });
    expect(error.message).toMatch(/has no chat_template in tokenizer_config\.json/);
    // The echo model was not freed by the failed load: it still answers in full.
    const result = await generator.generate([{ role: 'user', content: 'Still loaded.' }], { maxNewTokens: 40, temperature: 0, topP: 1, greedy: true });
    expect(result.text).toBe('Still loaded.');
  } finally {
    generator.terminate();
  }
});
