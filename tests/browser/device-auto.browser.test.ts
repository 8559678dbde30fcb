// Auto with a software WebGPU adapter: the WebGPU instance of these tests runs Chromium's SwiftShader, as a
// Linux machine without GPU drivers or a VM would. Auto must pick WASM there and say why; WebGPU chosen by
// hand must still load and run a model on it.
import { expect, inject, test } from 'vitest';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { probeWebGpu } from '../../src/lib/config/device';

const backend = inject('backend');
const LLAMA = { kind: 'url' as const, url: '/tests/models/tiny/llama' };

test.runIf(backend === 'webgpu')('the only adapter here is SwiftShader: Auto loads on WASM and says why, WebGPU by hand still runs', async () => {
  const probe = await probeWebGpu();
  expect(probe).toMatchObject({ available: true, software: 'SwiftShader' });

  const auto = new GeneratorClient();
  const manual = new GeneratorClient();
  try {
    const onAuto = await auto.load(LLAMA, { device: 'auto', dtype: 'fp32' });
    expect(onAuto.device.device).toBe('wasm');
    expect(onAuto.device.reason).toMatch(/^WASM, because the only WebGPU adapter is a software one \(SwiftShader\)/);

    const onGpu = await manual.load(LLAMA, { device: 'webgpu', dtype: 'fp32' });
    expect(onGpu.device.device).toBe('webgpu');
    const answer = await manual.generate([{ role: 'user', content: 'Hello' }], { maxNewTokens: 4, temperature: 0, topP: 1, greedy: true });
    expect(answer.tokens).toBeGreaterThan(0);
  } finally {
    auto.terminate();
    manual.terminate();
  }
});
