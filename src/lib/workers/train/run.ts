// One training run from start (or a checkpoint) to the fine-tuned files: tokenize the chats with the base's
// template, check memory, step through the recipe's schedule with progress and periodic checkpoints, stop
// cleanly when asked (after the current step, with a checkpoint), then merge and write the outputs.
// Free of worker wiring: the worker's handler, the CLI and Node tests run it in-process.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { CancelledError } from '../../core/errors';
import type { ZipEntry } from '../../core/formats/zip';
import type { ChatMessage } from '../../core/generation';
import { readOnnxGraph } from '../../core/onnx/onnx-graph';
import { answerTokens, stepBatches, type TokenizedExample } from '../../core/train/batches';
import { decoderConfig, decoderWeights } from '../../core/train/decoder-weights';
import { checkMemory, estimateMemory, type MemoryLimits } from '../../core/train/memory';
import { mergeAdapters } from '../../core/train/merge';
import { patchOnnxWeights } from '../../core/train/onnx-patch';
import { fineTunedFolder, peftAdapterFiles, type StepLog, type TrainRecord } from '../../core/train/output-files';
import type { TrainCheckpoint, TrainOutput, TrainProgress } from '../../core/train/run-types';
import { learningRate, settingsProblem, stepExamples, totalSteps, type TrainSettings } from '../../core/train/settings';
import { tokenizeChat } from './chat-tokens';
import { LoraTrainer } from './trainer';

/** The base model as the trainer needs it. */
export interface BaseModel {
  name: string;
  config: Record<string, unknown>;
  /** onnx/model.onnx (fp32). */
  onnx: Uint8Array;
  /** The folder's other files (configs, tokenizer), copied into the fine-tuned folder. */
  sideFiles: ZipEntry[];
  tokenizer: PreTrainedTokenizer;
}

export interface RunHooks {
  onProgress?: (progress: TrainProgress) => void;
  /** Called with the latest state every `checkpointEveryMs` and when the run stops early. */
  onCheckpoint?: (checkpoint: TrainCheckpoint) => void | Promise<void>;
  checkpointEveryMs?: number;
  /** Aborting stops the run after the current step (with a checkpoint) and rejects with CancelledError. */
  signal?: AbortSignal;
  /** The backend's memory, to refuse a run that cannot fit. */
  limits?: MemoryLimits;
  /** Which backend runs the steps, for the record ("wasm", "webgpu"). */
  device: string;
}

/** Too little memory for the run; the message says what fits instead. */
export class TrainMemoryError extends Error {
  override name = 'TrainMemoryError';
}

export async function runTraining(base: BaseModel, chats: ChatMessage[][], settings: TrainSettings, hooks: RunHooks, resume?: TrainCheckpoint): Promise<TrainOutput> {
  const report = (progress: TrainProgress) => hooks.onProgress?.(progress);
  // 1. The base's weights and the examples, tokenized with its chat template.
  const invalid = settingsProblem(settings);
  if (invalid) throw new RangeError(invalid);
  const config = decoderConfig(base.config);
  const graph = readOnnxGraph(base.onnx);
  const weights = decoderWeights(graph, config);
  const examples: TokenizedExample[] = chats.map((chat) => tokenizeChat(base.tokenizer, chat, settings.maxLength));
  if (examples.length === 0) throw new RangeError('There are no training examples: build the dataset first.');
  const total = totalSteps(settings, examples.length);
  const lengths = examples.map((e) => e.ids.length);
  const memory = estimateMemory(config, settings, lengths);
  report({ phase: 'preparing', step: resume?.state.steps ?? 0, totalSteps: total, memory });

  // 2. Refuse what cannot fit, naming a setting that would.
  const problem = hooks.limits && checkMemory(config, settings, lengths, hooks.limits);
  if (problem) {
    const advice = problem.fitsTokens ? `Set the maximum length to ${problem.fitsTokens} tokens or less (examples are cut at the end), or lower the LoRA rank.` : 'This model is too large to train on this device.';
    throw new TrainMemoryError(`This run will not fit: ${problem.reason}. ${advice}`);
  }

  // 3. Steps, from the checkpoint's if resuming.
  const trainer = new LoraTrainer(weights, settings, resume?.state);
  const log: StepLog[] = resume ? [...resume.log] : [];
  let seconds = resume?.seconds ?? 0;
  let lastCheckpoint = performance.now();
  const timed: { ms: number; tokens: number }[] = [];
  const checkpoint = async () => {
    await hooks.onCheckpoint?.({ state: await trainer.state(), log: [...log], seconds });
    lastCheckpoint = performance.now();
  };
  try {
    for (let step = trainer.steps; step < total; step++) {
      if (hooks.signal?.aborted) {
        await checkpoint();
        throw new CancelledError(`Training stopped after step ${step} of ${total}.`);
      }
      const chosen = stepExamples(settings, examples.length, step).map((i) => examples[i]);
      const lr = learningRate(settings, step, total);
      if (timed.length === 0) report({ phase: 'compiling', step, totalSteps: total, memory });
      const started = performance.now();
      const result = await trainer.step(stepBatches(chosen), lr).catch((error: unknown) => {
        throw outOfMemory(error) ?? error;
      });
      const ms = performance.now() - started;
      seconds += ms / 1000;
      const tokens = chosen.reduce((n, e) => n + e.ids.length, 0);
      log.push({ step: step + 1, loss: result.loss, gradNorm: result.gradNorm, lr, ms, tokens });
      timed.push({ ms, tokens });
      // NOTE: the first step after (re)starting compiles the kernels: it says nothing about the pace.
      const pace = timed.length > 1 ? timed.slice(1) : timed;
      const paceMs = pace.reduce((n, t) => n + t.ms, 0);
      const stepMs = median(pace.map((t) => t.ms));
      report({
        phase: 'training',
        step: step + 1,
        totalSteps: total,
        loss: result.loss,
        tokensPerSecond: (pace.reduce((n, t) => n + t.tokens, 0) / paceMs) * 1000,
        stepMs,
        remainingMs: stepMs * (total - step - 1),
        memory,
      });
      if (performance.now() - lastCheckpoint >= (hooks.checkpointEveryMs ?? 30_000)) await checkpoint();
      await nextTask(); // let a cancel in
    }
    // 4. Merge the adapters and write the files.
    report({ phase: 'merging', step: total, totalSteps: total, memory });
    const adapters = await trainer.adapters();
    const merged = mergeAdapters(weights, adapters, settings.rank, settings.alpha);
    const record: TrainRecord = {
      base: base.name,
      settings,
      examples: examples.length,
      answerTokens: examples.reduce((n, e) => n + answerTokens(e), 0),
      device: hooks.device,
      steps: log,
      seconds,
    };
    return { folder: fineTunedFolder(base.sideFiles, patchOnnxWeights(base.onnx, graph, merged), record), adapter: peftAdapterFiles(adapters, settings, base.name), record };
  } finally {
    trainer.dispose();
  }
}

/** A TrainMemoryError for the backend's out-of-memory errors (jax-js's WASM allocator, WebGPU buffers), else null. */
function outOfMemory(error: unknown): TrainMemoryError | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!/memory32 limit|out of memory|allocation failed|exceeds the max buffer size/i.test(message)) return null;
  return new TrainMemoryError(`Training ran out of memory (${message}). Lower "Max tokens per example" or the LoRA rank, and start again.`);
}

/**
 * Resolves after a timer task. NOTE: not yieldToEventLoop's MessageChannel: in Node, messages on another port
 * (a cancel, the client's progress) stay queued while that channel alone is served; a timer lets them all in,
 * and costs nothing beside a step of 100 ms or more.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
