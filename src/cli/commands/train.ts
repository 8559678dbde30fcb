// `raft train`: the app's in-browser LoRA trainer (jax-js, WASM) in Node, on a chat-format dataset export: the same
// code, settings and outputs as the app, for scripts, checks and measurements.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TrainerClient } from '../../lib/clients/trainer';
import { inProcessEndpoint } from '../../lib/clients/model-client';
import type { ChatMessage } from '../../lib/core/generation';
import type { ZipEntry } from '../../lib/core/formats/zip';
import { RECIPE_DEFAULTS, SETTING_RANGES, type TrainSettings } from '../../lib/core/train/settings';
import { createTrainHandlers } from '../../lib/workers/train/handler';
import { numberFlag, parseFlags, requireString } from '../args';
import { CliError } from '../cli-error';
import { readModelFolder } from '../model-folder';

export const TRAIN_HELP = `raft train: fine-tune a language model with LoRA on a RAFT dataset, as the app's Train page does (jax-js, CPU).

  --model <folder>       base model folder (transformers.js layout, with onnx/model.onnx in fp32) (required)
  --train <file>         train.jsonl exported in chat format                                (required)
  --out <folder>         where the fine-tuned model folder is written                        (required)
  --adapter-out <folder> also write the PEFT adapter (adapter_model.safetensors, adapter_config.json)
  --rank <r>             LoRA rank, 1..256; alpha is 2r                                       (default ${RECIPE_DEFAULTS.rank})
  --lr <x>               peak learning rate, 1e-6..1e-1                                      (default ${RECIPE_DEFAULTS.lr})
  --epochs <n>           passes over the data, 0.1..100                                       (default ${RECIPE_DEFAULTS.epochs})
  --max-steps <n>        stop after this many optimizer steps (overrides --epochs)
  --batch-size <n>       examples per micro-batch, 1..64                                      (default ${RECIPE_DEFAULTS.batchSize})
  --grad-accum <n>       micro-batches per step, 1..256                                       (default ${RECIPE_DEFAULTS.gradAccum})
  --max-length <n>       tokens per example, longer ones cut at the end, 16..8192             (default ${RECIPE_DEFAULTS.maxLength})
  --seed <n>             initial adapters and example order                                   (default ${RECIPE_DEFAULTS.seed})

Progress goes to stderr; the training record (settings, per-step loss) is written as training.json in --out.`;

function readChats(text: string, file: string): ChatMessage[][] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const row = JSON.parse(line) as { messages?: ChatMessage[] };
      if (!Array.isArray(row.messages)) throw new CliError(`${file} line ${i + 1} has no "messages": export the dataset in chat format.`);
      return row.messages;
    });
}

async function writeFiles(folder: string, files: readonly ZipEntry[]): Promise<void> {
  for (const file of files) {
    const path = join(folder, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.bytes);
  }
}

export async function train(argv: string[], log: (line: string) => void): Promise<void> {
  const flags = parseFlags(argv, Object.fromEntries(['model', 'train', 'out', 'adapter-out', 'rank', 'lr', 'epochs', 'max-steps', 'batch-size', 'grad-accum', 'max-length', 'seed'].map((f) => [f, { type: 'string' as const }])));
  const rank = numberFlag(flags, 'rank', RECIPE_DEFAULTS.rank, ...SETTING_RANGES.rank);
  const settings: TrainSettings = {
    ...RECIPE_DEFAULTS,
    rank,
    alpha: 2 * rank,
    lr: numberFlag(flags, 'lr', RECIPE_DEFAULTS.lr, ...SETTING_RANGES.lr),
    epochs: numberFlag(flags, 'epochs', RECIPE_DEFAULTS.epochs, ...SETTING_RANGES.epochs),
    maxSteps: numberFlag(flags, 'max-steps', -1, 1, 1e6, true),
    batchSize: numberFlag(flags, 'batch-size', RECIPE_DEFAULTS.batchSize, ...SETTING_RANGES.batchSize),
    gradAccum: numberFlag(flags, 'grad-accum', RECIPE_DEFAULTS.gradAccum, ...SETTING_RANGES.gradAccum),
    maxLength: numberFlag(flags, 'max-length', RECIPE_DEFAULTS.maxLength, ...SETTING_RANGES.maxLength),
    seed: numberFlag(flags, 'seed', RECIPE_DEFAULTS.seed, 0, 2 ** 31, true),
  };
  const trainFile = requireString(flags, 'train');
  const chats = readChats(await readFile(trainFile, 'utf8'), trainFile);
  const base = await readModelFolder(requireString(flags, 'model'), 'fp32');
  const { endpoint, close } = inProcessEndpoint(createTrainHandlers({ allowHub: false }));
  const client = new TrainerClient(endpoint, close);
  try {
    const output = await client.train(
      { base, chats, settings, device: 'wasm' },
      {
        onProgress: (p) => {
          if (p.phase !== 'training') return log(`${p.phase}…`);
          const left = p.remainingMs !== undefined ? ` · ${Math.ceil(p.remainingMs / 60_000)} min left` : '';
          log(`step ${p.step}/${p.totalSteps} · loss ${p.loss?.toFixed(4)} · ${Math.round(p.tokensPerSecond ?? 0)} tokens/s${left}`);
        },
      },
    );
    const out = resolve(requireString(flags, 'out'));
    await writeFiles(out, output.folder);
    if (typeof flags['adapter-out'] === 'string') await writeFiles(resolve(flags['adapter-out']), output.adapter);
    log(`fine-tuned model written to ${out} (${output.record.steps.length} steps, ${Math.round(output.record.seconds)} s)`);
  } finally {
    client.terminate();
  }
}
