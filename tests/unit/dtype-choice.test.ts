// Dtype sense: the dtype a card starts on avoids what is known to fail (fp32 of a 360M model on WASM ran out of
// memory at 6.2 GB), and out-of-memory advice names only the dtypes the folder has.
import { describe, expect, test } from 'vitest';
import { defaultDtype, dtypeSizes, smallerDtypeAdvice } from '../../src/lib/core/dtype-choice';
import { ModelLoadError } from '../../src/lib/core/errors';
import type { ModelFile } from '../../src/lib/core/models';
import { Environment } from '../../src/lib/state/environment.svelte';
import { ModelSourceForm } from '../../src/lib/state/model-source-form.svelte';
import type { ModelStore } from '../../src/lib/state/model-store.svelte';
import { Settings } from '../../src/lib/state/settings.svelte';
import { explainLoadError } from '../../src/lib/workers/models/load';
import { MemoryStorage } from '../support/memory-storage';

const GB = 1e9;
/** SmolLM2-360M as the recipe exports it: fp32 1.45 GB, q8 0.39 GB. */
const SMOLLM_360M = [
  { dtype: 'fp32' as const, bytes: 1.45 * GB },
  { dtype: 'q8' as const, bytes: 0.39 * GB },
];

describe('the dtype a card starts on', () => {
  test('WASM: never a dtype over ~1 GB of files while a smaller one is there', () => {
    expect(defaultDtype('wasm', 'q8', SMOLLM_360M)).toBe('q8');
    // No q8: before, the first the folder had (fp32, 1.45 GB) was taken; now the q4 that fits.
    expect(defaultDtype('wasm', 'q8', [{ dtype: 'fp32', bytes: 1.45 * GB }, { dtype: 'q4', bytes: 0.3 * GB }])).toBe('q4');
    // A small fp32 is fine on WASM; a folder with only a large fp32 still loads it (the size check decides).
    expect(defaultDtype('wasm', 'q8', [{ dtype: 'fp32', bytes: 0.54 * GB }, { dtype: 'q4', bytes: 0.1 * GB }])).toBe('fp32');
    expect(defaultDtype('wasm', 'q8', [{ dtype: 'fp32', bytes: 1.45 * GB }])).toBe('fp32');
  });

  test('WebGPU takes its own order; nothing known (the Hub) keeps the backend default', () => {
    expect(defaultDtype('webgpu', 'q4f16', SMOLLM_360M)).toBe('q8');
    expect(defaultDtype('webgpu', 'q4f16', null)).toBe('q4f16');
  });

  test('a folder listing gives each dtype the bytes of its graph and external data', () => {
    const files = [
      { path: 'config.json', size: 1 },
      { path: 'onnx/model.onnx', size: 1e6 },
      { path: 'onnx/model.onnx_data', size: 1.5 * GB },
      { path: 'onnx/model_quantized.onnx', size: 0.4 * GB },
    ];
    expect(dtypeSizes(files)).toEqual([
      { dtype: 'fp32', bytes: 1e6 + 1.5 * GB },
      { dtype: 'q8', bytes: 0.4 * GB },
    ]);
  });

  test('a picked folder with a 1.45 GB fp32 and a q8 starts on q8 on WASM; a picked dtype the folder has is kept', () => {
    const form = new ModelSourceForm('tuned', { settings: new Settings(new MemoryStorage()), env: new Environment(), store: { saved: [] } as unknown as ModelStore });
    const file = (path: string, size: number): ModelFile => ({ path, blob: { size } as Blob });
    form.sourceKind = 'files';
    form.folder = { name: 'smollm-360m', files: [file('config.json', 1), file('onnx/model.onnx', 1.45 * GB), file('onnx/model_q4.onnx', 0.3 * GB)] };
    expect(form.dtype).toBe('q4');
    form.dtype = 'fp32';
    expect(form.dtype).toBe('fp32');
    form.dtype = 'q8';
    expect(form.dtype).toBe('q4');
  });
});

describe('out-of-memory advice', () => {
  const bad = new Error('std::bad_alloc');

  test('names only the smaller dtypes the folder has', () => {
    const error = explainLoadError(bad, 'smollm-360m', 'fp32', ['fp32', 'q8']) as ModelLoadError;
    expect(error.problem).toBe('out-of-memory');
    expect(error.message).toContain('Pick a smaller dtype this folder has (q8).');
    expect(error.message).not.toMatch(/q4/);
  });

  test('says so when the folder has nothing smaller, and stays general when the dtypes are unknown', () => {
    expect(smallerDtypeAdvice('q8', ['fp32', 'q8'])).toMatch(/^This folder has no dtype smaller than q8: export a quantized one/);
    expect(smallerDtypeAdvice('fp32', ['q4f16', 'fp16', 'fp32'])).toBe('Pick a smaller dtype this folder has (fp16, q4f16).');
    const hub = explainLoadError(bad, 'org/model', 'fp32') as ModelLoadError;
    expect(hub.message).toContain('Pick a smaller dtype than fp32 if the model has one');
    expect(hub.message).not.toMatch(/q4/);
  });
});
