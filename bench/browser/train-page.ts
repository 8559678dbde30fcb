// The training benchmark page: the app's TrainerClient with its real Web Worker (jax-js on WASM or WebGPU), a
// few optimizer steps of a model folder served to the page, the run's own per-step record returned.
import { TrainerClient, type TrainDevice } from '../../src/lib/clients/trainer';
import type { ChatMessage } from '../../src/lib/core/generation';
import type { StepLog } from '../../src/lib/core/train/output-files';
import type { TrainSettings } from '../../src/lib/core/train/settings';

export interface TrainBenchParams {
  modelUrl: string;
  device: TrainDevice;
  chats: ChatMessage[][];
  settings: TrainSettings;
}

export interface TrainBenchResult {
  steps: StepLog[];
  crossOriginIsolated: boolean;
}

async function benchTrain(params: TrainBenchParams): Promise<TrainBenchResult> {
  const client = new TrainerClient();
  try {
    const output = await client.train({ base: { kind: 'url', url: params.modelUrl }, chats: params.chats, settings: params.settings, device: params.device });
    return { steps: output.record.steps, crossOriginIsolated };
  } finally {
    client.terminate();
  }
}

(window as unknown as { benchTrain: typeof benchTrain }).benchTrain = benchTrain;
