// Picks the execution backend where the model will run (inside the worker), with the reason, and
// reads what bounds a model's size there: the WebGPU adapter's buffer limit and navigator.deviceMemory.
// Auto skips a software WebGPU adapter (SwiftShader and the like): WASM is many times faster than it.
// NOTE: not under workers/: the page probes WebGPU with the same code (state/environment.svelte.ts).
import { messageOf } from '../core/errors';
import type { Device, DevicePreference } from '../core/models';
import type { DeviceChoice } from '../core/model-status';
import type { Runtime } from '../core/onnx/model-fit';
import { chooseThreads, type ThreadsChoice, type ThreadsPreference } from '../core/threads';

export type { DeviceChoice };

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  /** Where Chromium reported it before it moved into `info`. */
  isFallbackAdapter?: boolean;
  limits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
}

interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

/** `software`: the adapter renders on the CPU (a fallback adapter, SwiftShader, llvmpipe): its name for messages. */
export type WebGpuProbe = { available: true; adapter: string; bufferLimit?: number; software?: string } | { available: false; reason: string };

/** Software rasterisers that drivers and browsers offer as a WebGPU adapter when there is no usable GPU. */
const SOFTWARE_ADAPTERS: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver'],
];

/** The software renderer's name when the adapter is one, else undefined. */
export function softwareAdapter(adapter: AdapterLike): string | undefined {
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  const known = SOFTWARE_ADAPTERS.find(([pattern]) => pattern.test(text));
  if (known) return known[1];
  return info.isFallbackAdapter === true || adapter.isFallbackAdapter === true ? text || 'a fallback adapter' : undefined;
}

/** Why Auto does not use a software adapter (a whole clause). */
export function softwareReason(name: string): string {
  return `the only WebGPU adapter is a software one (${name})`;
}

/** Describes the WebGPU adapter and its largest buffer, or says why there is none. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, reason: 'this browser does not expose WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, reason: 'no WebGPU adapter is available (GPU disabled or blocklisted)' };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    const limits = [adapter.limits?.maxBufferSize, adapter.limits?.maxStorageBufferBindingSize].filter((n): n is number => typeof n === 'number' && n > 0);
    const software = softwareAdapter(adapter);
    return { available: true, adapter: name, ...(limits.length ? { bufferLimit: Math.min(...limits) } : {}), ...(software ? { software } : {}) };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${messageOf(error)}` };
  }
}

export interface DeviceDecision extends DeviceChoice {
  /** The adapter's largest buffer, when WebGPU is chosen and the adapter says. */
  bufferLimit?: number;
}

export async function chooseDevice(preference: DevicePreference): Promise<DeviceDecision> {
  // NOTE: chosen on the card or in Settings: the card says which (core/load-choice.ts).
  if (preference === 'wasm') return { device: 'wasm', reason: 'WASM, as chosen' };
  const probe = await probeWebGpu();
  // NOTE: a software adapter measured 1.4 chunks/s against 126-152 on WASM: Auto never picks it, a user still may.
  if (probe.available && probe.software && preference === 'auto') return { device: 'wasm', reason: `WASM, because ${softwareReason(probe.software)}` };
  if (probe.available) return { device: 'webgpu', reason: `WebGPU: ${probe.adapter}`, bufferLimit: probe.bufferLimit };
  if (preference === 'webgpu') return { device: 'wasm', reason: `WebGPU was requested but ${probe.reason}; using WASM` };
  return { device: 'wasm', reason: `WASM, because ${probe.reason}` };
}

/** The choice after WebGPU could not take the model: WASM, saying why (`why` is a whole clause). */
export function wasmFallback(why: string): DeviceChoice {
  return { device: 'wasm', reason: `WASM, because ${why}` };
}

function inNode(): boolean {
  return typeof process !== 'undefined' && process.release?.name === 'node';
}

/** The device name transformers.js expects here: in Node its CPU backend is called `cpu`, not `wasm`. */
export function runtimeDevice(device: Device): 'webgpu' | 'wasm' | 'cpu' {
  return device === 'wasm' && inNode() ? 'cpu' : device;
}

/** Which runtime's limits apply: in Node, onnxruntime-node's (no wasm32 bound). */
export function currentRuntime(): Runtime {
  return inNode() ? 'native' : 'web';
}

/** navigator.deviceMemory (GiB), where the browser reports it (Chromium, also in workers). */
export function deviceMemoryGiB(): number | undefined {
  const value = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** ONNX Runtime Web's thread count in this page or worker (both see the same cores and isolation). */
export function threadsHere(preference: ThreadsPreference): ThreadsChoice {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency;
  return chooseThreads({ cores, isolated: globalThis.crossOriginIsolated === true, preference });
}
