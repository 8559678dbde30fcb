// Graph fragments shared by the tiny transformer graphs: linear layers, norms,
// head splitting and shape lookups, each expressed in opset-17 ONNX ops.

import { type GraphBuilder, float, int, ints } from './onnx.ts';
import { type Rng, normalArray } from './rng.ts';

/** Returns dimension `axis` of `x` as an int64 scalar. */
export function dimOf(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Gather', [g.op('Shape', [x]), g.int64s([axis], [])], { axis: int(0) });
}

/** Inserts size-1 axes. */
export function unsqueeze(g: GraphBuilder, x: string, axes: readonly number[]): string {
  return g.op('Unsqueeze', [x, g.int64s(axes)]);
}

/** Reshapes with a fixed target (0 copies the input dim, -1 infers one dim). */
export function reshape(g: GraphBuilder, x: string, shape: readonly number[]): string {
  return g.op('Reshape', [x, g.int64s(shape)]);
}

/** `[start, …, limit - 1]` for int64 scalars, cast to float when asked. */
export function range(g: GraphBuilder, start: string, limit: string, asFloat = false): string {
  const r = g.op('Range', [start, limit, g.int64s([1], [])]);
  return asFloat ? g.op('Cast', [r], { to: int(1) }) : r;
}

/**
 * Adds a dense layer `x · W (+ b)` with W of shape [inDim, outDim] drawn from
 * N(0, (scale / sqrt(inDim))²) and a zero bias when `bias` is set.
 */
export function linear(
  g: GraphBuilder,
  rng: Rng,
  x: string,
  name: string,
  inDim: number,
  outDim: number,
  opts: { scale?: number; bias?: boolean } = {},
): string {
  const std = (opts.scale ?? 1) / Math.sqrt(inDim);
  const w = g.initializer(`${name}.weight`, normalArray(rng, inDim * outDim, std), [inDim, outDim]);
  const y = g.op('MatMul', [x, w]);
  if (!opts.bias) return y;
  const b = g.initializer(`${name}.bias`, new Float32Array(outDim), [outDim]);
  return g.op('Add', [y, b]);
}

/** LayerNormalization over the last axis with unit scale and zero shift. */
export function layerNorm(g: GraphBuilder, x: string, name: string, dim: number, eps: number): string {
  const scale = g.initializer(`${name}.weight`, new Float32Array(dim).fill(1), [dim]);
  const shift = g.initializer(`${name}.bias`, new Float32Array(dim), [dim]);
  return g.op('LayerNormalization', [x, scale, shift], { axis: int(-1), epsilon: float(eps) });
}

/** RMSNorm `x · 1/sqrt(mean(x²) + eps) · w` with w = 1. */
export function rmsNorm(g: GraphBuilder, x: string, name: string, dim: number, eps: number): string {
  const weight = g.initializer(`${name}.weight`, new Float32Array(dim).fill(1), [dim]);
  const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: ints([-1]), keepdims: int(1) });
  const inv = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [meanSquare, g.floats([eps], [])])])]);
  return g.op('Mul', [g.op('Mul', [x, inv]), weight]);
}

/** [batch, seq, heads·headDim] → [batch, heads, seq, headDim]. */
export function splitHeads(g: GraphBuilder, x: string, heads: number, headDim: number): string {
  return g.op('Transpose', [reshape(g, x, [0, 0, heads, headDim])], { perm: ints([0, 2, 1, 3]) });
}

/** [batch, heads, seq, headDim] → [batch, seq, heads·headDim]. */
export function mergeHeads(g: GraphBuilder, x: string, heads: number, headDim: number): string {
  return reshape(g, g.op('Transpose', [x], { perm: ints([0, 2, 1, 3]) }), [0, 0, heads * headDim]);
}
