// The tiny random Llama: the real architecture (RMSNorm, RoPE, grouped-query
// attention with a KV cache, SiLU MLP) with seeded random weights, for smoke tests.

import { type DecoderInputs, type LlamaShape, appendToCache, declareDecoderInputs, declareLogits, lmFolder } from './decoder.ts';
import type { ModelFolder } from './folder.ts';
import { dimOf, linear, mergeHeads, range, reshape, rmsNorm, splitHeads, unsqueeze } from './layers.ts';
import { DataType, GraphBuilder, int, ints } from './onnx.ts';
import { type Rng, createRng, normalArray } from './rng.ts';
import { LM_SPECIALS } from './tokenizers.ts';

const SHAPE: LlamaShape = {
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 8,
};
const EPS = 1e-6;
const SEED = 0x11a3a;
/**
 * rope_theta^(-2i / head_dim) for theta 10000 and head_dim 8, written out so that
 * no engine-dependent Math.pow enters the weights.
 */
const INV_FREQ = [1, 0.1, 0.01, 0.001];

/**
 * Builds the random Llama folder (fp32). It never emits EOS, so generation always runs to max_new_tokens.
 * `cache: false` exports the same model without past_key_values inputs and present outputs, the way a
 * wrong export (plain `text-generation` instead of `text-generation-with-past`) does.
 */
export function buildRandomLlama(options: { cache?: boolean } = {}): ModelFolder {
  return lmFolder(SHAPE, (vocabSize) => buildGraph(vocabSize, options.cache !== false));
}

function buildGraph(vocabSize: number, cache: boolean): Uint8Array {
  const g = new GraphBuilder(cache ? 'tiny-llama' : 'tiny-llama-no-cache');
  const rng = createRng(SEED);
  const io = declareDecoderInputs(g, SHAPE, { cache });
  const { hidden_size: hidden, num_hidden_layers: layers } = SHAPE;

  // 1. Token embeddings, rotary tables and the attention mask, shared by all layers.
  const embed = g.initializer('embed_tokens', normalArray(rng, vocabSize * hidden, 1), [vocabSize, hidden]);
  let x = g.op('Gather', [embed, io.inputIds]);
  const rope = rotaryTables(g, io.positionIds);
  const allowed = attentionMask(g, io);

  // 2. Pre-norm decoder layers.
  for (let l = 0; l < layers; l++) {
    x = g.op('Add', [x, attention(g, rng, rmsNorm(g, x, `layers.${l}.attn_norm`, hidden, EPS), l, io, rope, allowed)]);
    x = g.op('Add', [x, mlp(g, rng, rmsNorm(g, x, `layers.${l}.mlp_norm`, hidden, EPS), l)]);
  }

  // 3. Final norm and LM head. NOTE: the special tokens' columns are zero, so their
  // logit is always 0, while among ~300 random logits some are positive at every
  // step: greedy decoding does not pick EOS and runs to max_new_tokens.
  const head = normalArray(rng, hidden * vocabSize, 1 / Math.sqrt(hidden));
  for (let i = 0; i < hidden; i++) for (let s = 0; s < LM_SPECIALS.length; s++) head[i * vocabSize + s] = 0;
  const normed = rmsNorm(g, x, 'final_norm', hidden, EPS);
  g.nodeTo('MatMul', [normed, g.initializer('lm_head', head, [hidden, vocabSize])], ['logits']);
  declareLogits(g, 'logits', vocabSize);
  return g.toModel();
}

/** cos/sin tables [batch, 1, seq, head_dim] for the given position ids. */
function rotaryTables(g: GraphBuilder, positionIds: string): { cos: string; sin: string } {
  const pos = unsqueeze(g, g.op('Cast', [positionIds], { to: int(DataType.FLOAT) }), [-1]);
  const freqs = g.op('Mul', [pos, g.floats(INV_FREQ)]);
  const angles = unsqueeze(g, g.op('Concat', [freqs, freqs], { axis: int(-1) }), [1]);
  return { cos: g.op('Cos', [angles]), sin: g.op('Sin', [angles]) };
}

/** Applies RoPE with rotate-half: `x·cos + concat(-x₂, x₁)·sin`. */
function applyRotary(g: GraphBuilder, x: string, rope: { cos: string; sin: string }): string {
  const half = SHAPE.head_dim / 2;
  const axes = g.int64s([-1]);
  const x1 = g.op('Slice', [x, g.int64s([0]), g.int64s([half]), axes]);
  const x2 = g.op('Slice', [x, g.int64s([half]), g.int64s([SHAPE.head_dim]), axes]);
  const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: int(-1) });
  return g.op('Add', [g.op('Mul', [x, rope.cos]), g.op('Mul', [rotated, rope.sin])]);
}

/**
 * Which keys each query may see, as bool [batch, 1, 1, seq, total]: causal over
 * the concatenated (past + new) positions, and never a padded key.
 */
function attentionMask(g: GraphBuilder, io: DecoderInputs): string {
  const seq = dimOf(g, io.inputIds, 1);
  // Without a cache the keys are this step's tokens only: the mask's last `seq` columns.
  const mask = io.past.length
    ? io.attentionMask
    : g.op('Slice', [io.attentionMask, unsqueeze(g, g.op('Neg', [seq]), [0]), g.int64s([2 ** 62]), g.int64s([1])]);
  const total = dimOf(g, mask, 1);
  const past = g.op('Sub', [total, seq]);
  const keys = range(g, g.int64s([0], []), total);
  const queries = unsqueeze(g, range(g, past, total), [1]);
  const causal = g.op('LessOrEqual', [keys, queries]);
  const notPadded = unsqueeze(g, g.op('Cast', [mask], { to: int(DataType.BOOL) }), [1, 2, 3]);
  return g.op('And', [causal, notPadded]);
}

/**
 * Grouped-query attention for layer `l`. Queries are viewed as
 * [batch, kv_heads, group, seq, head_dim] so each cached kv head broadcasts over
 * its group, matching Hugging Face's repeat_kv head order.
 */
function attention(
  g: GraphBuilder,
  rng: Rng,
  h: string,
  l: number,
  io: DecoderInputs,
  rope: { cos: string; sin: string },
  allowed: string,
): string {
  const { hidden_size: hidden, num_attention_heads: heads, num_key_value_heads: kvHeads, head_dim: headDim } = SHAPE;
  const p = `layers.${l}.attn`;
  const q = applyRotary(g, splitHeads(g, linear(g, rng, h, `${p}.q`, hidden, heads * headDim), heads, headDim), rope);
  const k = applyRotary(g, splitHeads(g, linear(g, rng, h, `${p}.k`, hidden, kvHeads * headDim), kvHeads, headDim), rope);
  const v = splitHeads(g, linear(g, rng, h, `${p}.v`, hidden, kvHeads * headDim), kvHeads, headDim);
  const present = io.past[l] ? appendToCache(g, SHAPE, l, io.past[l], k, v) : { key: k, value: v };

  const q5 = reshape(g, q, [0, kvHeads, heads / kvHeads, -1, headDim]);
  const k5 = g.op('Transpose', [unsqueeze(g, present.key, [2])], { perm: ints([0, 1, 2, 4, 3]) });
  const scores = g.op('Mul', [g.op('MatMul', [q5, k5]), g.floats([1 / Math.sqrt(headDim)], [])]);
  // NOTE: -1e9 rather than -inf, so a fully padded row gives a uniform softmax, not NaN.
  const masked = g.op('Where', [allowed, scores, g.floats([-1e9], [])]);
  const probs = g.op('Softmax', [masked], { axis: int(-1) });
  const context = g.op('MatMul', [probs, unsqueeze(g, present.value, [2])]);
  const merged = mergeHeads(g, reshape(g, context, [0, heads, -1, headDim]), heads, headDim);
  return linear(g, rng, merged, `${p}.o`, heads * headDim, hidden);
}

/** SiLU-gated MLP: `down(silu(gate(h)) · up(h))`. */
function mlp(g: GraphBuilder, rng: Rng, h: string, l: number): string {
  const { hidden_size: hidden, intermediate_size: inter } = SHAPE;
  const p = `layers.${l}.mlp`;
  const gate = linear(g, rng, h, `${p}.gate`, hidden, inter);
  const up = linear(g, rng, h, `${p}.up`, hidden, inter);
  const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
  return linear(g, rng, act, `${p}.down`, inter, hidden);
}
