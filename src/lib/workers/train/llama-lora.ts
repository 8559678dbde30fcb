// The decoder's forward pass and loss in jax-js, with LoRA adapters beside the frozen linear layers: the
// function the trainer differentiates. It follows transformers' LlamaForCausalLM / Qwen2ForCausalLM (eager
// attention) step for step, so the loss matches PyTorch's to float32 rounding.
// NOTE: jax-js arrays are reference-counted and every call consumes its arguments: a value used twice is
// passed as `.ref` the first time. Each function below owns (and uses up) what it is given.
import { nn, numpy as np, type Array as JaxArray } from '@jax-js/jax';
import { PROJECTIONS, type DecoderConfig, type DecoderWeights, type Projection } from '../../core/train/decoder-weights';

/** A frozen linear layer: weight [in, out], optional bias [out]. */
export type FrozenLinear = { w: JaxArray; b?: JaxArray };
export type FrozenLayer = { inputNorm: JaxArray; postNorm: JaxArray; proj: { [P in Projection]: FrozenLinear } };
/** The base model's weights on the device; never updated. `head`: lm_head as [vocab, hidden] rows, when not tied. */
export type FrozenParams = { embed: JaxArray; layers: FrozenLayer[]; norm: JaxArray; head?: JaxArray };

/** One adapter: A is [in, r], B is [r, out] (PEFT stores them transposed: lora_A [r, in], lora_B [out, r]). */
export type LoraPair = { a: JaxArray; b: JaxArray };
/** The trainable parameters: for each layer, an adapter on each targeted projection. */
export type LoraParams = { layers: { [P in Projection]?: LoraPair }[] };

/** One padded batch. Positions whose weight is 0 (prompt, padding) add nothing to the loss. */
export type Batch = {
  /** int32 [B, T]. */
  ids: JaxArray;
  /** int32 [B, T]: the token each position should predict (the next one), 0 where unused. */
  targets: JaxArray;
  /** float32 [B, T]: each position's share of the loss (1 / tokens in the whole optimizer step, or 0). */
  weights: JaxArray;
  /** float32 [B, 1, 1, T, T]: 0 where a query may see a key, -1e9 elsewhere (causal and padding). */
  mask: JaxArray;
  /** float32 [T, headDim]: RoPE tables for positions 0..T-1. */
  cos: JaxArray;
  sin: JaxArray;
};

/** The RoPE tables for `length` positions, computed in float32 steps as transformers does. */
export function ropeTables(config: DecoderConfig, length: number): { cos: Float32Array; sin: Float32Array } {
  const { headDim, ropeTheta } = config;
  const half = headDim / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = Math.fround(1 / Math.fround(Math.pow(ropeTheta, Math.fround((2 * i) / headDim))));
  const cos = new Float32Array(length * headDim);
  const sin = new Float32Array(length * headDim);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(t * invFreq[i]);
      for (const j of [i, i + half]) {
        cos[t * headDim + j] = Math.cos(angle);
        sin[t * headDim + j] = Math.sin(angle);
      }
    }
  }
  return { cos, sin };
}

/** Puts the base weights on the device, once. */
export function frozenParams(weights: DecoderWeights): FrozenParams {
  const { hidden, vocabSize } = weights.config;
  const linear = (l: DecoderWeights['layers'][number]['proj'][Projection]): FrozenLinear => {
    const out: FrozenLinear = { w: np.array(l.weight).reshape([l.inDim, l.outDim]) };
    if (l.bias) out.b = np.array(l.bias);
    return out;
  };
  return {
    embed: np.array(weights.embed).reshape([vocabSize, hidden]),
    layers: weights.layers.map((layer) => ({
      inputNorm: np.array(layer.inputNorm),
      postNorm: np.array(layer.postNorm),
      proj: Object.fromEntries(PROJECTIONS.map((p) => [p, linear(layer.proj[p])])) as FrozenLayer['proj'],
    })),
    norm: np.array(weights.norm),
    ...(weights.lmHead ? { head: np.array(weights.lmHead).reshape([hidden, vocabSize]).transpose() } : {}),
  };
}

function rmsNorm(x: JaxArray, weight: JaxArray, eps: number): JaxArray {
  const variance = np.square(x.ref).mean(-1, { keepdims: true });
  return x.div(np.sqrt(variance.add(eps))).mul(weight);
}

function linear(x: JaxArray, frozen: FrozenLinear, lora: LoraPair | undefined, scale: number): JaxArray {
  let y = np.matmul(lora ? x.ref : x, frozen.w);
  if (frozen.b) y = y.add(frozen.b);
  if (!lora) return y;
  return y.add(np.matmul(np.matmul(x, lora.a), lora.b).mul(scale));
}

function rotateHalf(x: JaxArray): JaxArray {
  const [x1, x2] = np.split(x, 2, -1);
  return np.concatenate([x2.neg(), x1], -1);
}

function rope(x: JaxArray, cos: JaxArray, sin: JaxArray): JaxArray {
  return x.ref.mul(cos).add(rotateHalf(x).mul(sin));
}

function attention(h: JaxArray, layer: FrozenLayer, lora: LoraParams['layers'][number], batch: Batch, config: DecoderConfig, scale: number): JaxArray {
  const { heads, kvHeads, headDim } = config;
  const [b, t] = h.shape;
  const groups = heads / kvHeads;
  const heads4 = (x: JaxArray, n: number) => x.reshape([b, t, n, headDim]).transpose([0, 2, 1, 3]);
  const q = rope(heads4(linear(h.ref, layer.proj.q_proj, lora.q_proj, scale), heads), batch.cos.ref, batch.sin.ref);
  const k = rope(heads4(linear(h.ref, layer.proj.k_proj, lora.k_proj, scale), kvHeads), batch.cos.ref, batch.sin.ref);
  const v = heads4(linear(h, layer.proj.v_proj, lora.v_proj, scale), kvHeads);
  // NOTE: query head h reads key/value head h // groups (transformers' repeat_kv), hence [b, kv, groups, t, d]
  // against [b, kv, 1, ...]. Batched matmul, not einsum: jax-js's einsum needs iterator helpers (Node 22+).
  const keysT = k.reshape([b, kvHeads, 1, t, headDim]).transpose([0, 1, 2, 4, 3]);
  const scores = np.matmul(q.reshape([b, kvHeads, groups, t, headDim]), keysT).mul(1 / Math.sqrt(headDim));
  const probs = nn.softmax(scores.add(batch.mask.ref), -1);
  const mixed = np.matmul(probs, v.reshape([b, kvHeads, 1, t, headDim]));
  const out = mixed.reshape([b, heads, t, headDim]).transpose([0, 2, 1, 3]).reshape([b, t, heads * headDim]);
  return linear(out, layer.proj.o_proj, lora.o_proj, scale);
}

function mlp(h: JaxArray, layer: FrozenLayer, lora: LoraParams['layers'][number], scale: number): JaxArray {
  const gate = nn.silu(linear(h.ref, layer.proj.gate_proj, lora.gate_proj, scale));
  const up = linear(h, layer.proj.up_proj, lora.up_proj, scale);
  return linear(gate.mul(up), layer.proj.down_proj, lora.down_proj, scale);
}

/** The final normalised hidden states [B, T, hidden] and the output rows [vocab, hidden] (consumes its arguments). */
function forward(lora: LoraParams, frozen: FrozenParams, batch: Batch, config: DecoderConfig, scale: number): [JaxArray, JaxArray] {
  const head = frozen.head ?? frozen.embed.ref;
  let x = np.take(frozen.embed, batch.ids, 0);
  frozen.layers.forEach((layer, i) => {
    const adapters = lora.layers[i];
    x = x.ref.add(attention(rmsNorm(x, layer.inputNorm, config.rmsEps), layer, adapters, batch, config, scale));
    x = x.ref.add(mlp(rmsNorm(x, layer.postNorm, config.rmsEps), layer, adapters, scale));
  });
  for (const array of [batch.targets, batch.weights, batch.mask, batch.cos, batch.sin]) array.dispose();
  return [rmsNorm(x, frozen.norm, config.rmsEps), head];
}

/** Logits [B, T, vocab] for the batch's ids (consumes `frozen`, `lora` and `batch`). */
export function logits(lora: LoraParams, frozen: FrozenParams, batch: Batch, config: DecoderConfig, scale: number): JaxArray {
  const [hidden, head] = forward(lora, frozen, batch, config, scale);
  return np.matmul(hidden, head.transpose());
}

/**
 * The step's loss: cross-entropy of each weighted position's target, times its weight, summed. With weights of
 * 1 / (tokens in the optimizer step), summing this over the step's micro-batches gives the mean token loss, as
 * transformers' Trainer computes it with gradient accumulation.
 * NOTE: the target's logit is hidden · (its output row), gathered from the frozen rows: a gather from the
 * logits would need a scatter in the backward pass, which jax-js cannot compile, and a one-hot is B×T×vocab.
 */
export function loss(lora: LoraParams, frozen: FrozenParams, batch: Batch, config: DecoderConfig, scale: number): JaxArray {
  const targets = batch.targets.ref;
  const weights = batch.weights.ref;
  const [hidden, head] = forward(lora, frozen, batch, config, scale);
  const targetRows = np.take(head.ref, targets, 0);
  const picked = hidden.ref.mul(targetRows).sum(-1);
  const logSumExp = nn.logsumexp(np.matmul(hidden, head.transpose()), -1);
  return logSumExp.sub(picked).mul(weights).sum();
}
