// The training worker's API: fine-tune a base model with LoRA on chats, reporting progress and checkpoints.
import type { ChatMessage } from '../../core/generation';
import type { ModelSource } from '../../core/models';
import type { MemoryLimits } from '../../core/train/memory';
import type { TrainCheckpoint, TrainOutput, TrainProgress } from '../../core/train/run-types';
import type { TrainSettings } from '../../core/train/settings';

export type TrainDevice = 'wasm' | 'webgpu';

export interface TrainParams {
  base: ModelSource;
  chats: ChatMessage[][];
  settings: TrainSettings;
  device: TrainDevice;
  /** Continue from this checkpoint (same base, chats and settings). */
  resume?: TrainCheckpoint;
  checkpointEveryMs?: number;
  limits?: MemoryLimits;
}

/** Progress reports, and checkpoints to keep (in IndexedDB) for resuming. */
export type TrainEvent = ({ kind: 'progress' } & TrainProgress) | { kind: 'checkpoint'; checkpoint: TrainCheckpoint };

export type TrainApi = {
  train: { params: TrainParams; result: TrainOutput; progress: TrainEvent };
};
