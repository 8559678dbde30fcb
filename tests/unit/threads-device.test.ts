// ONNX Runtime Web's thread count (cores, isolation, the Settings override) and Auto's device choice with a
// software WebGPU adapter: what the status bar says and where a model loaded on Auto runs.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { chooseThreads, describeThreads, parseThreadsPreference } from '../../src/lib/core/threads';
import { chooseDevice, softwareAdapter, threadsHere } from '../../src/lib/config/device';
import { describeBackend } from '../../src/lib/state/environment.svelte';
import { parseSettings } from '../../src/lib/state/settings.svelte';

describe('threads', () => {
  test('automatic: one per core on an isolated page, at most 8', () => {
    expect(chooseThreads({ cores: 2, isolated: true, preference: 0 })).toEqual({ threads: 2 });
    expect(chooseThreads({ cores: 32, isolated: true, preference: 0 })).toEqual({ threads: 8 });
    expect(chooseThreads({ cores: undefined, isolated: true, preference: 0 })).toEqual({ threads: 1 });
  });

  test('a page that is not cross-origin isolated runs one thread, whatever was asked, and says why', () => {
    const choice = chooseThreads({ cores: 8, isolated: false, preference: 4 });
    expect(choice).toEqual({ threads: 1, limit: 'page not cross-origin isolated' });
    expect(describeThreads(choice)).toBe('1 thread (page not cross-origin isolated)');
  });

  test('the Settings override wins over the core count', () => {
    expect(chooseThreads({ cores: 2, isolated: true, preference: 4 })).toEqual({ threads: 4 });
    expect(chooseThreads({ cores: 16, isolated: true, preference: 1 })).toEqual({ threads: 1 });
    expect(describeThreads({ threads: 4 })).toBe('4 threads');
  });

  test('stored preferences: anything invalid is automatic', () => {
    expect(parseSettings(JSON.stringify({ threads: 3 })).threads).toBe(3);
    for (const bad of [-1, 2.5, 99, '4', null]) expect(parseThreadsPreference(bad)).toBe(0);
    expect(parseSettings(null).threads).toBe(0);
  });
});

describe('software WebGPU adapters', () => {
  afterEach(() => vi.unstubAllGlobals());

  const swiftShader = { info: { vendor: 'google', architecture: 'swiftshader', description: '' }, limits: { maxBufferSize: 2 ** 30 } };
  const hardware = { info: { vendor: 'nvidia', architecture: 'ampere', description: '' }, limits: { maxBufferSize: 2 ** 30 } };
  const withAdapter = (adapter: object) => vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => adapter }, hardwareConcurrency: 4 });

  test('SwiftShader, llvmpipe and fallback adapters are recognised; a hardware adapter is not', () => {
    expect(softwareAdapter(swiftShader)).toBe('SwiftShader');
    expect(softwareAdapter({ info: { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } })).toBe('llvmpipe');
    expect(softwareAdapter({ info: { vendor: 'x', isFallbackAdapter: true } })).toBe('x');
    expect(softwareAdapter({ isFallbackAdapter: true })).toBe('a fallback adapter');
    expect(softwareAdapter(hardware)).toBeUndefined();
  });

  test('Auto runs on WASM when the only adapter is a software one, and says why; WebGPU by hand still gets it', async () => {
    withAdapter(swiftShader);
    expect(await chooseDevice('auto')).toEqual({ device: 'wasm', reason: 'WASM, because the only WebGPU adapter is a software one (SwiftShader)' });
    expect((await chooseDevice('webgpu')).device).toBe('webgpu');
    withAdapter(hardware);
    expect((await chooseDevice('auto')).device).toBe('webgpu');
  });

  test('the status bar names the threads and why Auto is on WASM', () => {
    const probe = { available: true as const, adapter: 'google swiftshader', software: 'SwiftShader' };
    const two = { threads: 2 };
    expect(describeBackend(probe, 'auto', two)).toBe('WASM · 2 threads — the only WebGPU adapter is a software one (SwiftShader)');
    expect(describeBackend(probe, 'webgpu', two)).toBe('WebGPU: google swiftshader (software: slow)');
    expect(describeBackend({ available: true, adapter: 'nvidia ampere' }, 'auto', two)).toBe('WebGPU: nvidia ampere');
    expect(describeBackend(null, 'wasm', { threads: 1, limit: 'page not cross-origin isolated' })).toBe('WASM · 1 thread (page not cross-origin isolated) — chosen in Settings');
  });

  test('threadsHere reads the cores and isolation of this thread', () => {
    withAdapter(hardware);
    vi.stubGlobal('crossOriginIsolated', true);
    expect(threadsHere(0)).toEqual({ threads: 4 });
    vi.stubGlobal('crossOriginIsolated', false);
    expect(threadsHere(0).threads).toBe(1);
  });
});
