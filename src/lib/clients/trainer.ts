// The in-browser trainer: a worker running jax-js, behind a small interface the training state and the CLI use.
import type { TrainCheckpoint, TrainOutput, TrainProgress } from '../core/train/run-types';
import type { TrainApi, TrainParams } from '../workers/train/protocol';
import type { Endpoint } from '../workers/rpc';
import { ModelWorkerClient } from './model-client';

export type { TrainDevice, TrainParams } from '../workers/train/protocol';

export interface TrainHooks {
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  onCheckpoint?: (checkpoint: TrainCheckpoint) => void;
}

/** The trainer as the app uses it: the worker client, or one over an in-process endpoint (tests, CLI). */
export interface Trainer {
  train(params: TrainParams, hooks?: TrainHooks): Promise<TrainOutput>;
  terminate(): void;
}

export class TrainerClient implements Trainer {
  readonly #client: ModelWorkerClient<TrainApi>;

  constructor(endpoint?: Endpoint, dispose?: () => void) {
    this.#client = new ModelWorkerClient<TrainApi>(endpoint ?? (() => new Worker(new URL('../workers/train/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' })), dispose);
  }

  /** Runs the training; aborting `signal` stops it after the current step, with a last checkpoint, and rejects. */
  train(params: TrainParams, hooks: TrainHooks = {}): Promise<TrainOutput> {
    return this.#client.call('train', params, {
      signal: hooks.signal,
      onProgress: (event) => (event.kind === 'checkpoint' ? hooks.onCheckpoint?.(event.checkpoint) : hooks.onProgress?.(event)),
    });
  }

  terminate(): void {
    this.#client.terminate();
  }
}
