// What the tiny decoder-only LMs share: the graph inputs/outputs transformers.js
// expects of a `llama` model with a KV cache, and the files of an LM folder.

import { type ModelFolder, modelFolder } from './folder.ts';
import { DataType, type GraphBuilder, int } from './onnx.ts';
import { LM_BOS_ID, LM_EOS_ID, buildLmTokenizer } from './tokenizers.ts';

/** Longest sequence (prompt + generated tokens) the tiny LMs accept. */
export const LM_MAX_POSITIONS = 2048;

/** Sizes of a tiny Llama; the fields are those of its config.json. */
export interface LlamaShape {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
}

/** Names of the graph inputs of one decoder step. */
export interface DecoderInputs {
  inputIds: string;
  attentionMask: string;
  positionIds: string;
  /** Per layer: float32 [batch_size, kv_heads, past_sequence_length, head_dim]; empty when exported without the cache. */
  past: { key: string; value: string }[];
}

/**
 * Declares the inputs of a decoder step. NOTE: kv-heads and head_dim are numbers
 * and the sequence axis is second to last: transformers.js builds the first,
 * empty cache from this metadata, mapping `batch_size` to the batch and any
 * other symbolic dim to 0.
 */
export function declareDecoderInputs(g: GraphBuilder, shape: LlamaShape, options: { cache?: boolean } = {}): DecoderInputs {
  const tokens = ['batch_size', 'sequence_length'];
  const cache = ['batch_size', shape.num_key_value_heads, 'past_sequence_length', shape.head_dim];
  const inputIds = g.input('input_ids', DataType.INT64, tokens);
  const attentionMask = g.input('attention_mask', DataType.INT64, ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', DataType.INT64, tokens);
  const past = [];
  // NOTE: without the cache (a wrong export, for error-path tests) the mask spans only this step's tokens.
  for (let i = 0; i < (options.cache === false ? 0 : shape.num_hidden_layers); i++) {
    past.push({
      key: g.input(`past_key_values.${i}.key`, DataType.FLOAT, cache),
      value: g.input(`past_key_values.${i}.value`, DataType.FLOAT, cache),
    });
  }
  return { inputIds, attentionMask, positionIds, past };
}

/**
 * Emits layer `layer`'s `present.{layer}.key/value` outputs: the past cache with
 * this step's entries appended on the sequence axis. Returns their names.
 */
export function appendToCache(
  g: GraphBuilder,
  shape: LlamaShape,
  layer: number,
  past: { key: string; value: string },
  key: string,
  value: string,
): { key: string; value: string } {
  const dims = ['batch_size', shape.num_key_value_heads, 'total_sequence_length', shape.head_dim];
  const present = { key: `present.${layer}.key`, value: `present.${layer}.value` };
  g.nodeTo('Concat', [past.key, key], [present.key], { axis: int(2) });
  g.nodeTo('Concat', [past.value, value], [present.value], { axis: int(2) });
  g.output(present.key, DataType.FLOAT, dims);
  g.output(present.value, DataType.FLOAT, dims);
  return present;
}

/** Declares the `logits` output [batch_size, sequence_length, vocab]. */
export function declareLogits(g: GraphBuilder, logits: string, vocabSize: number): void {
  g.output(logits, DataType.FLOAT, ['batch_size', 'sequence_length', vocabSize]);
}

/**
 * Builds an LM folder: Llama config.json, ChatML byte-level BPE tokenizer,
 * generation_config.json (eos = pad = `<|im_end|>`) and the given graph.
 */
export function lmFolder(shape: LlamaShape, buildGraph: (vocabSize: number) => Uint8Array): ModelFolder {
  const { tokenizer, tokenizerConfig, vocabSize } = buildLmTokenizer(LM_MAX_POSITIONS);
  const ids = { bos_token_id: LM_BOS_ID, eos_token_id: LM_EOS_ID, pad_token_id: LM_EOS_ID };
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocabSize,
    ...shape,
    hidden_act: 'silu',
    max_position_embeddings: LM_MAX_POSITIONS,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    attention_bias: false,
    tie_word_embeddings: false,
    use_cache: true,
    torch_dtype: 'float32',
    ...ids,
  };
  return modelFolder(
    {
      'config.json': config,
      'generation_config.json': ids,
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': tokenizerConfig,
    },
    buildGraph(vocabSize),
  );
}
