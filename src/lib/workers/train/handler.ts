// Training worker logic: start jax-js on the asked backend, read the base model, run the training, hand back the
// files (their buffers transferred, not copied). Free of worker wiring so Node tests and the CLI run it in-process.
import { defaultDevice, getWebGPUDevice, init } from '@jax-js/jax';
import type { MemoryLimits } from '../../core/train/memory';
import { configureTransformers, type TransformersSetup } from '../models/transformers-env';
import type { Handlers } from '../rpc';
import { loadBaseModel } from './base-model';
import type { TrainApi, TrainDevice } from './protocol';
import { runTraining } from './run';

/** Starts jax-js's backend for `device`; WebGPU falls back to nothing: the caller asked for it, so say it is missing. */
async function startBackend(device: TrainDevice): Promise<void> {
  const available = await init(device);
  if (!available.includes(device)) throw new Error(device === 'webgpu' ? 'WebGPU is not available in this browser: train on WASM (CPU) instead.' : 'WebAssembly is not available here.');
  defaultDevice(device);
}

/** jax-js's WASM memory is a 4 GiB wasm32 space; its allocator refuses past it. */
const WASM_BYTES = 4 * 1024 ** 3;

/**
 * What the backend can hold: WASM its address space; WebGPU the device's largest buffer, and for the whole run
 * the machine's memory as the browser reports it (navigator.deviceMemory, capped at 8 GB; 4 GB when unknown),
 * since browsers do not say how much a GPU has.
 */
function backendLimits(device: TrainDevice): MemoryLimits {
  if (device === 'wasm') return { total: WASM_BYTES, array: WASM_BYTES };
  const gpu = getWebGPUDevice();
  const reported = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return { total: (reported ?? 4) * 1024 ** 3, array: Math.min(gpu.limits.maxBufferSize, gpu.limits.maxStorageBufferBindingSize) };
}

export function createTrainHandlers(setup: TransformersSetup): Handlers<TrainApi> {
  configureTransformers(setup);
  return {
    async train(params, { signal, progress, transfer }) {
      await startBackend(params.device);
      const base = await loadBaseModel(params.base, signal);
      const output = await runTraining(
        base,
        params.chats,
        params.settings,
        {
          device: params.device,
          signal,
          limits: params.limits ?? backendLimits(params.device),
          checkpointEveryMs: params.checkpointEveryMs,
          onProgress: (p) => progress({ kind: 'progress', ...p }),
          onCheckpoint: (checkpoint) => progress({ kind: 'checkpoint', checkpoint }),
        },
        params.resume,
      );
      for (const file of [...output.folder, ...output.adapter]) if (file.bytes.byteOffset === 0 && file.bytes.byteLength === file.bytes.buffer.byteLength) transfer(file.bytes.buffer as ArrayBuffer);
      return output;
    },
  };
}
