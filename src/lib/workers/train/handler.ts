// Training worker logic: start jax-js on the asked backend, read the base model, run the training, hand back the
// files (their buffers transferred, not copied). Free of worker wiring so Node tests and the CLI run it in-process.
import { defaultDevice, init } from '@jax-js/jax';
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
          limits: params.limits,
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
