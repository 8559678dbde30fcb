// The weights of a Llama- or Qwen2-family decoder, found in an exported ONNX graph by the module scopes the
// exporter writes into node names (`/model/model/layers.0/self_attn/q_proj/MatMul`): linear weights are
// anonymous initializers (`onnx::MatMul_449`), already transposed to [in, out] for `x @ W`, so their names
// say nothing and the node that consumes each one does. The config comes from the folder's config.json.
import { OnnxFormatError } from '../onnx/graph-inputs';
import { elementCount, tensorToFloat32, type OnnxGraph, type OnnxNode } from '../onnx/onnx-graph';

/** The linear layers of one block, in PEFT's names; LoRA may target any of them. */
export const PROJECTIONS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type Projection = (typeof PROJECTIONS)[number];

export interface DecoderConfig {
  modelType: 'llama' | 'qwen2';
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  rmsEps: number;
  ropeTheta: number;
  tied: boolean;
}

/** A linear layer as `x @ weight + bias`: weight is [inDim, outDim], row-major. */
export interface Linear {
  weight: Float32Array;
  /** The ONNX initializer the weight was read from (where a merged weight is written back). */
  source: string;
  inDim: number;
  outDim: number;
  bias?: Float32Array;
}

export interface DecoderLayer {
  inputNorm: Float32Array;
  postNorm: Float32Array;
  proj: Record<Projection, Linear>;
}

export interface DecoderWeights {
  config: DecoderConfig;
  /** [vocab, hidden]. */
  embed: Float32Array;
  layers: DecoderLayer[];
  norm: Float32Array;
  /** [hidden, vocab], or null when tied to the embedding (lm_head = embedᵀ). */
  lmHead: Float32Array | null;
}

/** The model is not one the trainer can train (architecture, config or graph). */
export class UnsupportedModelError extends Error {
  override name = 'UnsupportedModelError';
}

const SUPPORTED_TYPES = ['llama', 'qwen2'] as const;
const MLP = new Set<Projection>(['gate_proj', 'up_proj', 'down_proj']);

function positiveInt(config: Record<string, unknown>, key: string, fallback?: number): number {
  const value = config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new UnsupportedModelError(`config.json has no usable ${key} (${JSON.stringify(config[key])})`);
  }
  return value;
}

/** The architecture figures the trainer needs, from a model folder's config.json. */
export function decoderConfig(config: Record<string, unknown>): DecoderConfig {
  const modelType = config.model_type;
  if (!SUPPORTED_TYPES.includes(modelType as 'llama')) {
    throw new UnsupportedModelError(`the trainer supports ${SUPPORTED_TYPES.join(' and ')} models; this one is ${JSON.stringify(modelType)}`);
  }
  const hidden = positiveInt(config, 'hidden_size');
  const heads = positiveInt(config, 'num_attention_heads');
  const kvHeads = positiveInt(config, 'num_key_value_heads', heads);
  if (heads % kvHeads !== 0) throw new UnsupportedModelError(`num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
  // NOTE: transformers 5 keeps rope_theta in rope_parameters; older configs have it at the top level.
  const rope = (config.rope_parameters ?? config.rope_scaling ?? {}) as Record<string, unknown>;
  const ropeType = rope.rope_type ?? rope.type ?? 'default';
  if (ropeType !== 'default') throw new UnsupportedModelError(`RoPE scaling "${String(ropeType)}" is not supported by the trainer`);
  return {
    modelType: modelType as DecoderConfig['modelType'],
    vocabSize: positiveInt(config, 'vocab_size'),
    hidden,
    layers: positiveInt(config, 'num_hidden_layers'),
    heads,
    kvHeads,
    headDim: positiveInt(config, 'head_dim', hidden / heads),
    intermediate: positiveInt(config, 'intermediate_size'),
    rmsEps: typeof config.rms_norm_eps === 'number' ? config.rms_norm_eps : 1e-6,
    ropeTheta: Number(rope.rope_theta ?? config.rope_theta ?? 10000),
    tied: config.tie_word_embeddings === true,
  };
}

/** Each projection's [in, out] sizes for this architecture. */
export function projectionDims(config: DecoderConfig): Record<Projection, [number, number]> {
  const { hidden, heads, kvHeads, headDim, intermediate } = config;
  return {
    q_proj: [hidden, heads * headDim],
    k_proj: [hidden, kvHeads * headDim],
    v_proj: [hidden, kvHeads * headDim],
    o_proj: [heads * headDim, hidden],
    gate_proj: [hidden, intermediate],
    up_proj: [hidden, intermediate],
    down_proj: [intermediate, hidden],
  };
}

/** Reads the decoder's weights out of `graph`, checking every shape against `config`. */
export function decoderWeights(graph: OnnxGraph, config: DecoderConfig): DecoderWeights {
  const { hidden, vocabSize } = config;
  // NOTE: the exporter stores equal weights once (fresh norms are all ones) and renames the copies with Identity nodes.
  const identity = new Map(graph.nodes.filter((n) => n.opType === 'Identity').map((n) => [n.outputs[0], n.inputs[0]]));
  const weight = (name: string) => {
    for (let i = 0; i < 8 && identity.has(name); i++) name = identity.get(name)!;
    return graph.initializers.get(name);
  };
  const tensor = (node: OnnxNode, dims?: number[]) => {
    const found = node.inputs.map(weight).find((t) => t && (!dims || sameDims(t.dims, dims)));
    if (!found) throw new OnnxFormatError(`node ${node.name} has no weight${dims ? ` of shape [${dims}]` : ''}`);
    return found;
  };
  const initializer = (node: OnnxNode, dims?: number[]) => tensorToFloat32(tensor(node, dims));
  const byScope = (pattern: RegExp, op: string) => graph.nodes.filter((n) => n.opType === op && pattern.test(n.name));
  const one = (pattern: RegExp, op: string) => {
    const found = byScope(pattern, op);
    if (found.length !== 1) throw new UnsupportedModelError(`expected one ${op} node matching ${pattern}, found ${found.length}: is this a decoder exported by the recipe?`);
    return found[0];
  };

  const embedNode = one(/\/embed_tokens\/Gather$/, 'Gather');
  const embed = initializer(embedNode, [vocabSize, hidden]);
  const outDims = projectionDims(config);
  const layers: DecoderLayer[] = [];
  for (let i = 0; i < config.layers; i++) {
    const scope = `/layers\\.${i}/`;
    const proj = {} as Record<Projection, Linear>;
    for (const name of PROJECTIONS) {
      const block = MLP.has(name) ? 'mlp' : 'self_attn';
      const [inDim, outDim] = outDims[name];
      const matmul = one(new RegExp(`${scope}${block}/${name}/MatMul$`), 'MatMul');
      const source = tensor(matmul, [inDim, outDim]);
      const linear: Linear = { weight: tensorToFloat32(source), source: source.name, inDim, outDim };
      const add = byScope(new RegExp(`${scope}${block}/${name}/Add$`), 'Add');
      if (add.length === 1) linear.bias = initializer(add[0], [outDim]);
      proj[name] = linear;
    }
    layers.push({
      inputNorm: initializer(one(new RegExp(`${scope}input_layernorm/Mul_1$`), 'Mul'), [hidden]),
      postNorm: initializer(one(new RegExp(`${scope}post_attention_layernorm/Mul_1$`), 'Mul'), [hidden]),
      proj,
    });
  }
  const norm = initializer(one(/\/model\/norm\/Mul_1$/, 'Mul'), [hidden]);
  const headNode = one(/\/lm_head\/MatMul$/, 'MatMul');
  const headWeight = headNode.inputs.map(weight).find((t) => t && elementCount(t.dims) === hidden * vocabSize);
  const lmHead = config.tied ? null : headWeight ? tensorToFloat32(headWeight) : null;
  if (!config.tied && !lmHead) throw new UnsupportedModelError('config.json says lm_head is not tied, but the graph has no lm_head weight');
  return { config, embed, layers, norm, lmHead };
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
