// The files a finished run produces: the fine-tuned model folder in the transformers.js layout (the base's
// configs and tokenizer, onnx/model.onnx with the adapters merged in, and a training record), and the adapter
// alone in PEFT's layout for the Python world.
import type { ZipEntry } from '../formats/zip';
import { peftAdapterConfig, peftAdapterWeights, type HostAdapters } from './peft-adapter';
import type { TrainSettings } from './settings';

/** One optimizer step as the run logged it. */
export interface StepLog {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  ms: number;
  /** Tokens of the step's examples (prompts and answers, before padding). */
  tokens: number;
}

/** What was trained, on what, and how it went: written beside the model as training.json. */
export interface TrainRecord {
  base: string;
  settings: TrainSettings;
  examples: number;
  /** Answer tokens per epoch (the tokens the loss covers). */
  answerTokens: number;
  device: string;
  steps: StepLog[];
  seconds: number;
}

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value, null, 2) + '\n');

/** The fine-tuned model folder: `baseSideFiles` (everything of the base but its onnx/ folder), the merged ONNX, the record. */
export function fineTunedFolder(baseSideFiles: readonly ZipEntry[], mergedOnnx: Uint8Array, record: TrainRecord): ZipEntry[] {
  const side = baseSideFiles.filter((f) => !f.path.startsWith('onnx/') && f.path !== 'training.json');
  return [...side, { path: 'onnx/model.onnx', bytes: mergedOnnx }, { path: 'training.json', bytes: json(record) }];
}

/** adapter_model.safetensors and adapter_config.json. */
export function peftAdapterFiles(adapters: HostAdapters, settings: TrainSettings, base: string): ZipEntry[] {
  return [
    { path: 'adapter_model.safetensors', bytes: peftAdapterWeights(adapters, settings.rank) },
    { path: 'adapter_config.json', bytes: json(peftAdapterConfig(settings, base)) },
  ];
}
