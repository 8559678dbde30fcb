// The shapes a training run reports and returns, shared by the trainer, its worker protocol, the CLI and the UI.
import type { ZipEntry } from '../formats/zip';
import type { MemoryEstimate } from './memory';
import type { StepLog, TrainRecord } from './output-files';
import type { HostAdapters } from './peft-adapter';

/** Everything a run needs to continue where it stopped: adapters, AdamW's moments, steps taken. */
export interface TrainerState {
  adapters: HostAdapters;
  m: HostAdapters;
  v: HostAdapters;
  steps: number;
}

export type TrainPhase = 'preparing' | 'compiling' | 'training' | 'merging';

export interface TrainProgress {
  phase: TrainPhase;
  step: number;
  totalSteps: number;
  /** The last step's loss. */
  loss?: number;
  /** Tokens through the model per second since (re)starting, the first (compiling) step excluded. */
  tokensPerSecond?: number;
  /** Median step time, and what the remaining steps should take at that pace. */
  stepMs?: number;
  remainingMs?: number;
  memory?: MemoryEstimate;
}

/** Saved during a run and when it stops: enough to resume it, even after a reload. */
export interface TrainCheckpoint {
  state: TrainerState;
  log: StepLog[];
  seconds: number;
}

export interface TrainOutput {
  /** The fine-tuned model folder (transformers.js layout). */
  folder: ZipEntry[];
  /** The adapter alone (PEFT layout). */
  adapter: ZipEntry[];
  record: TrainRecord;
}
