// The in-browser trainer's settings, with the defaults of recipes/finetune.py (TRL SFTTrainer + PEFT LoRA), and
// the learning-rate schedule transformers uses there (linear warm-up, then cosine to zero).
import { createRng } from '../rng';
import { PROJECTIONS, type Projection } from './decoder-weights';

export interface TrainSettings {
  /** LoRA rank r. Integer, 1..256 (recipe: 16). */
  rank: number;
  /** LoRA alpha; the adapter's output is scaled by alpha / rank (recipe: 2 × rank). */
  alpha: number;
  /** Linear layers that get an adapter (recipe: "all-linear", i.e. all seven). */
  targets: Projection[];
  /** Peak learning rate. 1e-6..1e-1 (recipe: 2e-4). */
  lr: number;
  /** Fraction of the steps spent warming up linearly from 0. 0..0.5 (recipe: 0.05). */
  warmupRatio: number;
  /** AdamW decoupled weight decay. 0..0.1 (transformers' default: 0). */
  weightDecay: number;
  /** Gradients are scaled down to this global L2 norm when larger; 0 turns clipping off (transformers' default: 1). */
  maxGradNorm: number;
  /** Examples per micro-batch. Integer, 1..64 (recipe: 2). */
  batchSize: number;
  /** Micro-batches per optimizer step. Integer, 1..256 (recipe: 4). */
  gradAccum: number;
  /** Tokens per example; longer ones are cut at the end, as TRL does. Integer, 16..8192 (recipe: 2048). */
  maxLength: number;
  /** Passes over the training set (recipe: 3); `maxSteps` > 0 overrides it. */
  epochs: number;
  maxSteps: number;
  /** Seeds the adapters' initial A matrices and the order of examples. */
  seed: number;
}

/** recipes/finetune.py's defaults. NOTE: LoRA dropout is not implemented here (the recipe's is 0.05). */
export const RECIPE_DEFAULTS: TrainSettings = {
  rank: 16,
  alpha: 32,
  targets: [...PROJECTIONS],
  lr: 2e-4,
  warmupRatio: 0.05,
  weightDecay: 0,
  maxGradNorm: 1,
  batchSize: 2,
  gradAccum: 4,
  maxLength: 2048,
  epochs: 3,
  maxSteps: -1,
  seed: 7,
};

/** Each number setting's [lowest, highest] and whether it is a whole number: the trainer, the CLI and the form share them. */
export const SETTING_RANGES = {
  rank: [1, 256, true],
  lr: [1e-6, 1e-1, false],
  epochs: [0.1, 100, false],
  maxLength: [16, 8192, true],
  batchSize: [1, 64, true],
  gradAccum: [1, 256, true],
} as const satisfies Record<string, readonly [number, number, boolean]>;

/** Why `settings` cannot be trained with (a sentence naming the field and its range), or null when they can. */
export function settingsProblem(settings: TrainSettings): string | null {
  const within = (field: keyof typeof SETTING_RANGES) => {
    const [low, high, integer] = SETTING_RANGES[field];
    const value = settings[field];
    return typeof value === 'number' && Number.isFinite(value) && value >= low && value <= high && (!integer || Number.isInteger(value));
  };
  const range = (field: keyof typeof SETTING_RANGES) => `${SETTING_RANGES[field][0]} to ${SETTING_RANGES[field][1]}`;
  if (!within('rank')) return `The LoRA rank must be a whole number from ${range('rank')} (got ${settings.rank}).`;
  if (!within('lr')) return `The learning rate must be from ${range('lr')} (got ${settings.lr}).`;
  if (settings.maxSteps <= 0 && !within('epochs')) return `Epochs must be from ${range('epochs')} (got ${settings.epochs}).`;
  if (!within('maxLength')) return `Max tokens per example must be a whole number from ${range('maxLength')} (got ${settings.maxLength}).`;
  if (!within('batchSize') || !within('gradAccum')) return `The batch size must be ${range('batchSize')} and the accumulation ${range('gradAccum')}.`;
  if (settings.targets.length === 0) return 'Pick at least one layer for the adapters.';
  return null;
}

/** Optimizer steps for `examples` training examples: ceil(micro-batches per epoch / accumulation) × epochs. */
export function totalSteps(settings: Pick<TrainSettings, 'batchSize' | 'gradAccum' | 'epochs' | 'maxSteps'>, examples: number): number {
  if (settings.maxSteps > 0) return settings.maxSteps;
  const perEpoch = Math.max(1, Math.ceil(Math.ceil(examples / settings.batchSize) / settings.gradAccum));
  return Math.ceil(perEpoch * settings.epochs);
}

/**
 * Which examples (indices into the training set) optimizer step `step` (0-based) trains on: each epoch visits
 * every example once in a seeded order, `batchSize × gradAccum` a step; a step never spans two epochs, so an
 * epoch's last step may be smaller (as transformers' Trainer does). The same seed and step give the same indices.
 */
export function stepExamples(settings: Pick<TrainSettings, 'batchSize' | 'gradAccum' | 'seed'>, examples: number, step: number): number[] {
  const perStep = settings.batchSize * settings.gradAccum;
  const perEpoch = Math.max(1, Math.ceil(examples / perStep));
  const epoch = Math.floor(step / perEpoch);
  const order = createRng(settings.seed).fork(`epoch-${epoch}`).shuffle(Array.from({ length: examples }, (_, i) => i));
  const start = (step % perEpoch) * perStep;
  return order.slice(start, start + perStep);
}

/**
 * The learning rate for optimizer step `step` (0-based) of `total`: transformers' cosine schedule with warm-up
 * (`get_cosine_schedule_with_warmup`), whose warm-up is ceil(ratio × total) steps, the first at rate 0.
 */
export function learningRate(settings: Pick<TrainSettings, 'lr' | 'warmupRatio'>, step: number, total: number): number {
  const warmup = Math.ceil(settings.warmupRatio * total);
  if (step < warmup) return (settings.lr * step) / Math.max(1, warmup);
  const progress = (step - warmup) / Math.max(1, total - warmup);
  return settings.lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}
