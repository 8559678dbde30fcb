// The embedding worker in real Chromium, on the backend of this test instance (WASM or WebGPU).
import { commands } from 'vitest/browser';
import { expect, inject, test } from 'vitest';
import { EmbedderClient } from '../../src/lib/clients/embedder';

const backend = inject('backend');
const TEXTS = ['How do I request a refund?', 'Request a refund from the billing page.', 'The sync client uploads files every minute.'];

test(`embeds through the worker on ${backend}, equal to Node within 1e-4`, async () => {
  const embedder = new EmbedderClient();
  try {
    const model = await embedder.load({ kind: 'url', url: '/tests/models/tiny/embedder' }, { device: backend, dtype: 'fp32' });
    expect(model.device.device).toBe(backend);
    expect(model.device.reason).toMatch(backend === 'webgpu' ? /^WebGPU/ : /WASM/);

    const { dim, vectors } = await embedder.embed(TEXTS);
    expect(vectors).toBeInstanceOf(Float32Array);
    expect(dim).toBe(64);
    expect(vectors.length).toBe(TEXTS.length * dim);
    for (let row = 0; row < TEXTS.length; row++) {
      const v = vectors.subarray(row * dim, (row + 1) * dim);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }

    const reference = await commands.nodeEmbed('tiny/embedder', TEXTS);
    expect(reference.dim).toBe(dim);
    const maxDiff = Math.max(...reference.vectors.map((x, i) => Math.abs(x - vectors[i])));
    expect(maxDiff).toBeLessThan(1e-4);
  } finally {
    embedder.terminate();
  }
});

test('embedding reports batch progress and can be cancelled', async () => {
  const embedder = new EmbedderClient();
  try {
    await embedder.load({ kind: 'url', url: '/tests/models/tiny/embedder' }, { device: backend, dtype: 'fp32' });
    const texts = Array.from({ length: 400 }, (_, i) => `Chunk number ${i} about refunds and billing.`);
    const seen: number[] = [];
    await embedder.embed(texts.slice(0, 64), { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([16, 32, 48, 64]);

    const controller = new AbortController();
    const cancelled = embedder.embed(texts, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(cancelled).rejects.toMatchObject({ name: 'CancelledError' });
  } finally {
    embedder.terminate();
  }
});
