// Picks the execution backend where the model will run (inside the worker), with the reason.
import type { Device, DevicePreference } from '../../core/models';

export interface DeviceChoice {
  device: Device;
  /** Human-readable: the WebGPU adapter in use, or why WebGPU is not used. */
  reason: string;
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

/** Describes the WebGPU adapter, or says why there is none. */
export async function probeWebGpu(): Promise<{ available: true; adapter: string } | { available: false; reason: string }> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, reason: 'this browser does not expose WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, reason: 'no WebGPU adapter is available (GPU disabled or blocklisted)' };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return { available: true, adapter: name };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
}

export async function chooseDevice(preference: DevicePreference): Promise<DeviceChoice> {
  if (preference === 'wasm') return { device: 'wasm', reason: 'WASM chosen in Settings' };
  const probe = await probeWebGpu();
  if (probe.available) return { device: 'webgpu', reason: `WebGPU: ${probe.adapter}` };
  if (preference === 'webgpu') return { device: 'wasm', reason: `WebGPU was requested but ${probe.reason}; using WASM` };
  return { device: 'wasm', reason: `WASM, because ${probe.reason}` };
}

/** The device name transformers.js expects here: in Node its CPU backend is called `cpu`, not `wasm`. */
export function runtimeDevice(device: Device): 'webgpu' | 'wasm' | 'cpu' {
  const inNode = typeof process !== 'undefined' && process.release?.name === 'node';
  return device === 'wasm' && inNode ? 'cpu' : device;
}
