// The size decision: whether a model's ONNX files can be held where it would run, from their sizes.
import { describe, expect, test } from 'vitest';
import { decideFit, embeddingBytes, GiB, onnxFilesOf } from '../../src/lib/core/onnx/model-fit';

const MB = 1e6;
const file = (path: string, size: number) => ({ path, size });

describe('decideFit', () => {
  test('a 400 MB q8 model fits on WASM and on WebGPU', () => {
    for (const device of ['wasm', 'webgpu'] as const) {
      expect(decideFit({ files: [file('onnx/model_quantized.onnx', 400 * MB)], device, runtime: 'web' })).toEqual({ fit: 'ok', bytes: 400 * MB });
    }
  });

  test('one ONNX protobuf over 2 GiB is refused everywhere, naming the file and the way out', () => {
    for (const [device, runtime] of [['wasm', 'web'], ['webgpu', 'web'], ['wasm', 'native']] as const) {
      const decision = decideFit({ files: [file('onnx/model.onnx', 2.2 * GiB)], device, runtime });
      expect(decision.fit).toBe('too-large');
      if (decision.fit !== 'too-large') return;
      expect(decision.message).toContain('onnx/model.onnx is 2.4 GB');
      expect(decision.message).toContain('over 2 GiB');
      expect(decision.message).toMatch(/smaller dtype/);
    }
  });

  test('the same weights as external data pass the protobuf limit', () => {
    const files = [file('onnx/model.onnx', 1 * MB), file('onnx/model.onnx_data', 2.2 * GiB)];
    expect(decideFit({ files, device: 'wasm', runtime: 'web' }).fit).toBe('ok');
  });

  test('weights over the 4 GiB wasm32 memory (less what running needs) are refused, on WebGPU too', () => {
    const files = [file('onnx/model.onnx', 1 * MB), file('onnx/model.onnx_data', 1.9 * GiB), file('onnx/model.onnx_data_1', 1.7 * GiB)];
    const wasm = decideFit({ files, device: 'wasm', runtime: 'web' });
    expect(wasm.fit).toBe('too-large');
    if (wasm.fit === 'too-large') expect(wasm.message).toMatch(/3\.9 GB; ONNX Runtime Web holds the weights in the worker's WebAssembly memory, which is limited to 4 GiB/);
    const gpu = decideFit({ files, device: 'webgpu', runtime: 'web' });
    expect(gpu.fit === 'too-large' && gpu.message).toContain('while WebGPU builds the session');
  });

  test('3.4 GiB still fits: the limit keeps 512 MiB for running', () => {
    expect(decideFit({ files: [file('onnx/model.onnx_data', 3.4 * GiB), file('onnx/model.onnx', MB)], device: 'wasm', runtime: 'web' }).fit).toBe('ok');
    expect(decideFit({ files: [file('onnx/model.onnx_data', 3.6 * GiB), file('onnx/model.onnx', MB)], device: 'wasm', runtime: 'web' }).fit).toBe('too-large');
  });

  test('onnxruntime-node (CLI) has no wasm32 bound', () => {
    expect(decideFit({ files: [file('onnx/model.onnx', MB), file('onnx/model.onnx_data', 6 * GiB)], device: 'wasm', runtime: 'native' }).fit).toBe('ok');
  });

  test("a weight over the GPU's buffer limit runs on WASM instead, with the reason", () => {
    const decision = decideFit({ files: [file('onnx/model.onnx', 600 * MB)], device: 'webgpu', runtime: 'web', gpuBufferLimit: 256 * 1024 ** 2, largestWeightBytes: 544 * MB });
    expect(decision).toEqual({ fit: 'wasm-instead', bytes: 600 * MB, reason: "its largest weight (at least 544 MB) is over this WebGPU adapter's buffer limit (268 MB)" });
    // The same model on WASM has no buffer limit.
    expect(decideFit({ files: [file('onnx/model.onnx', 600 * MB)], device: 'wasm', runtime: 'web', gpuBufferLimit: 256 * 1024 ** 2, largestWeightBytes: 544 * MB }).fit).toBe('ok');
  });

  test('little reported device memory gives a warning, never a refusal', () => {
    const decision = decideFit({ files: [file('onnx/model.onnx', 1.5 * GiB)], device: 'wasm', runtime: 'web', deviceMemoryGiB: 2 });
    expect(decision.fit).toBe('ok');
    expect(decision.fit === 'ok' && decision.warning).toContain('reports about 2 GB of memory');
    expect(decideFit({ files: [file('onnx/model.onnx', 1.5 * GiB)], device: 'wasm', runtime: 'web', deviceMemoryGiB: 8 })).toEqual({ fit: 'ok', bytes: 1.5 * GiB });
  });
});

test('embeddingBytes is vocab × hidden at the least bytes per value of the dtype', () => {
  const qwen = { vocab_size: 151936, hidden_size: 896 };
  expect(embeddingBytes(qwen, 'fp32')).toBe(151936 * 896 * 4);
  expect(embeddingBytes(qwen, 'q4')).toBe(151936 * 896 * 0.5);
  expect(embeddingBytes({ text_config: qwen }, 'q8')).toBe(151936 * 896);
  expect(embeddingBytes({ model_type: 'x' }, 'fp32')).toBeUndefined();
});

test('onnxFilesOf picks the dtype file and its external data parts, not other dtypes', () => {
  const paths = ['onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model.onnx_data_1', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'config.json'];
  expect(onnxFilesOf('onnx/model.onnx', paths)).toEqual(['onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model.onnx_data_1']);
  expect(onnxFilesOf('onnx/model_q4.onnx', paths)).toEqual(['onnx/model_q4.onnx', 'onnx/model_q4.onnx_data']);
});
