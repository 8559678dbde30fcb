// LoRA training of a frozen decoder with jax-js: gradients of the completion loss over micro-batches, summed
// over the optimizer step, clipped to a global norm and applied with AdamW, as transformers' Trainer does.
// Gradient and update each run as one compiled (jit) function: eager jax-js is 10-100× slower.
import { jit, numpy as np, tree, valueAndGrad, type Array as JaxArray } from '@jax-js/jax';
import type { MicroBatch } from '../../core/train/batches';
import type { HostAdapters } from '../../core/train/peft-adapter';
import type { TrainerState } from '../../core/train/run-types';
import type { DecoderConfig, DecoderWeights, Projection } from '../../core/train/decoder-weights';
import type { TrainSettings } from '../../core/train/settings';
import { createRng } from '../../core/rng';
import { frozenParams, loss, ropeTables, type Batch, type FrozenParams, type LoraParams } from './llama-lora';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/**
 * PEFT's initial adapters: A uniform in ±1/√in (kaiming_uniform with a = √5), B zero, so training starts from
 * the base model exactly. Seeded: the same seed gives the same adapters in every engine.
 */
export function initialAdapters(weights: DecoderWeights, settings: Pick<TrainSettings, 'rank' | 'targets' | 'seed'>): HostAdapters {
  const rng = createRng(settings.seed).fork('lora-init');
  return weights.layers.map((layer) => {
    const adapters: HostAdapters[number] = {};
    for (const target of settings.targets) {
      const { inDim, outDim } = layer.proj[target];
      const bound = 1 / Math.sqrt(inDim);
      const a = new Float32Array(inDim * settings.rank).map(() => (rng.next() * 2 - 1) * bound);
      adapters[target] = { a, b: new Float32Array(settings.rank * outDim), inDim, outDim };
    }
    return adapters;
  });
}

export interface StepResult {
  /** Mean token loss of the step's examples, before the update. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

export class LoraTrainer {
  readonly config: DecoderConfig;
  #frozen: FrozenParams;
  #lora: LoraParams;
  #m: LoraParams;
  #v: LoraParams;
  #steps = 0;
  readonly #grad: ((lora: LoraParams, frozen: FrozenParams, batch: Batch) => [JaxArray, LoraParams]) & { dispose(): void };
  readonly #update: ((lora: LoraParams, grads: LoraParams, m: LoraParams, v: LoraParams, hyper: Record<'lr' | 'stepSize' | 'sqrtBc2' | 'maxNorm', JaxArray>) => [LoraParams, LoraParams, LoraParams, JaxArray]) & { dispose(): void };

  /** Starts from `start`: fresh adapters (PEFT's initialisation by default) or a saved state to resume. */
  constructor(
    weights: DecoderWeights,
    readonly settings: TrainSettings,
    start: HostAdapters | TrainerState = initialAdapters(weights, settings),
  ) {
    this.config = weights.config;
    this.#frozen = frozenParams(weights);
    const state = Array.isArray(start) ? null : start;
    this.#lora = toDevice(state ? state.adapters : (start as HostAdapters), settings.rank);
    this.#m = state ? toDevice(state.m, settings.rank) : (tree.map((p: JaxArray) => np.zerosLike(p), tree.ref(this.#lora)) as LoraParams);
    this.#v = state ? toDevice(state.v, settings.rank) : (tree.map((p: JaxArray) => np.zerosLike(p), tree.ref(this.#lora)) as LoraParams);
    this.#steps = state?.steps ?? 0;
    const scale = settings.alpha / settings.rank;
    const config = this.config;
    this.#grad = jit(valueAndGrad((lora: LoraParams, frozen: FrozenParams, batch: Batch) => loss(lora, frozen, batch, config, scale))) as never;
    const weightDecay = settings.weightDecay;
    this.#update = jit((lora: LoraParams, grads: LoraParams, m: LoraParams, v: LoraParams, hyper: Record<'lr' | 'stepSize' | 'sqrtBc2' | 'maxNorm', JaxArray>) => {
      const squares = tree.leaves(tree.ref(grads)).map((g) => np.square(g).sum());
      const norm = np.sqrt(squares.reduce((a, b) => a.add(b)));
      // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6), never up.
      const coef = np.minimum(hyper.maxNorm.div(norm.ref.add(1e-6)), 1);
      const leaves = (t: LoraParams) => tree.leaves(t) as JaxArray[];
      const [ps, gs, ms, vs] = [leaves(lora), leaves(grads), leaves(m), leaves(v)];
      const out = ps.map((p, i) => {
        const g = gs[i].mul(coef.ref);
        const m1 = ms[i].mul(BETA1).add(g.ref.mul(1 - BETA1));
        const v1 = vs[i].mul(BETA2).add(np.square(g).mul(1 - BETA2));
        const decayed = weightDecay ? p.mul(hyper.lr.ref.mul(-weightDecay).add(1)) : p;
        const denom = np.sqrt(v1.ref).div(hyper.sqrtBc2.ref).add(EPS);
        return [decayed.sub(m1.ref.div(denom).mul(hyper.stepSize.ref)), m1, v1] as const;
      });
      for (const array of [coef, hyper.lr, hyper.stepSize, hyper.sqrtBc2]) array.dispose();
      const def = tree.structure(lora);
      const rebuild = (k: 0 | 1 | 2) => tree.unflatten(def, out.map((o) => o[k])) as LoraParams;
      return [rebuild(0), rebuild(1), rebuild(2), norm];
    }) as never;
  }

  /** Optimizer steps taken so far. */
  get steps(): number {
    return this.#steps;
  }

  /** One optimizer step over `batches` (the step's micro-batches) at learning rate `lr`. */
  async step(batches: readonly MicroBatch[], lr: number): Promise<StepResult> {
    let grads: LoraParams | null = null;
    let total = 0;
    for (const batch of batches) {
      const [value, g] = this.#grad(tree.ref(this.#lora), tree.ref(this.#frozen), this.#toBatch(batch));
      grads = grads ? (tree.map((x: JaxArray, y: JaxArray) => x.add(y), grads, g) as LoraParams) : g;
      // NOTE: waiting for each micro-batch frees its activations before the next one starts: dispatched
      // without waiting, eight of them held 4 GiB (the whole WASM space) on the demo model.
      total += (await value.data())[0];
    }
    if (!grads) throw new RangeError('an optimizer step needs at least one micro-batch');
    const t = this.#steps + 1;
    const hyper = {
      lr: np.array(lr),
      stepSize: np.array(lr / (1 - BETA1 ** t)),
      sqrtBc2: np.array(Math.sqrt(1 - BETA2 ** t)),
      maxNorm: np.array(this.settings.maxGradNorm > 0 ? this.settings.maxGradNorm : Infinity),
    };
    const [lora, m, v, norm] = this.#update(this.#lora, grads, this.#m, this.#v, hyper);
    [this.#lora, this.#m, this.#v] = [lora, m, v];
    this.#steps = t;
    return { loss: total, gradNorm: (await norm.data())[0] };
  }

  /** The current adapters, copied to the host. */
  adapters(): Promise<HostAdapters> {
    return toHost(this.#lora);
  }

  /** The whole state (adapters and optimizer), copied to the host, for a checkpoint. */
  async state(): Promise<TrainerState> {
    const [adapters, m, v] = await Promise.all([toHost(this.#lora), toHost(this.#m), toHost(this.#v)]);
    return { adapters, m, v, steps: this.#steps };
  }

  /** Frees the device memory, and the compiled functions' constants. */
  dispose(): void {
    tree.dispose([this.#frozen, this.#lora, this.#m, this.#v] as never);
    this.#grad.dispose();
    this.#update.dispose();
  }

  #toBatch(batch: MicroBatch): Batch {
    const { size, length } = batch;
    const { cos, sin } = ropeTables(this.config, length);
    return {
      ids: np.array(batch.ids, { dtype: np.int32 }).reshape([size, length]),
      targets: np.array(batch.targets, { dtype: np.int32 }).reshape([size, length]),
      weights: np.array(batch.weights).reshape([size, length]),
      mask: np.array(batch.mask).reshape([size, 1, 1, length, length]),
      cos: np.array(cos).reshape([length, this.config.headDim]),
      sin: np.array(sin).reshape([length, this.config.headDim]),
    };
  }
}

async function toHost(params: LoraParams): Promise<HostAdapters> {
  return Promise.all(
    params.layers.map(async (layer) => {
      const out: HostAdapters[number] = {};
      for (const [name, pair] of Object.entries(layer) as [Projection, { a: JaxArray; b: JaxArray }][]) {
        const [a, b] = await Promise.all([pair.a.ref.data(), pair.b.ref.data()]);
        out[name] = { a: new Float32Array(a), b: new Float32Array(b), inDim: pair.a.shape[0], outDim: pair.b.shape[1] };
      }
      return out;
    }),
  );
}

function toDevice(adapters: HostAdapters, rank: number): LoraParams {
  return {
    layers: adapters.map((layer) =>
      Object.fromEntries(
        Object.entries(layer).map(([name, { a, b, inDim, outDim }]) => [name, { a: np.array(a).reshape([inDim, rank]), b: np.array(b).reshape([rank, outDim]) }]),
      ),
    ),
  };
}
