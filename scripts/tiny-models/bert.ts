// The tiny BERT embedder (feature-extraction): a real BERT graph whose weights are
// chosen so that mean-pooled vectors behave like a bag of words.

import { type ModelFolder, modelFolder } from './folder.ts';
import { dimOf, layerNorm, linear, mergeHeads, range, splitHeads, unsqueeze } from './layers.ts';
import { DataType, GraphBuilder, int, ints } from './onnx.ts';
import { createRng, normalArray } from './rng.ts';
import { buildBertTokenizer } from './tokenizers.ts';

/** Embedding width of the tiny embedder (the length of every vector it returns). */
export const EMBEDDER_DIM = 64;
const LAYERS = 2;
const HEADS = 2;
const HEAD_DIM = EMBEDDER_DIM / HEADS;
const INTERMEDIATE = 128;
/** Longest input, in tokens; also the tokenizer's model_max_length. */
const MAX_POSITIONS = 512;
const TYPE_VOCAB = 2;
const EPS = 1e-12;
const SEED = 0xbe27;

/**
 * Small scale of position/type embeddings and of every residual branch's output
 * projection. NOTE: with N(0, 1) word embeddings this keeps each output vector
 * close to its word's normalized embedding, so sentences that share words get
 * similar mean-pooled vectors, which is what retrieval tests need.
 */
const SMALL = 0.05;

/** Builds the embedder folder: config, WordPiece tokenizer and fp32 graph. */
export function buildEmbedder(): ModelFolder {
  const { tokenizer, tokenizerConfig, vocabSize } = buildBertTokenizer(MAX_POSITIONS);
  const config = {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabSize,
    hidden_size: EMBEDDER_DIM,
    num_hidden_layers: LAYERS,
    num_attention_heads: HEADS,
    intermediate_size: INTERMEDIATE,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    max_position_embeddings: MAX_POSITIONS,
    type_vocab_size: TYPE_VOCAB,
    layer_norm_eps: EPS,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
  };
  return modelFolder(
    { 'config.json': config, 'tokenizer.json': tokenizer, 'tokenizer_config.json': tokenizerConfig },
    buildGraph(vocabSize),
  );
}

function buildGraph(vocabSize: number): Uint8Array {
  const g = new GraphBuilder('tiny-bert');
  const rng = createRng(SEED);
  const dims = ['batch_size', 'sequence_length'];
  const inputIds = g.input('input_ids', DataType.INT64, dims);
  const attentionMask = g.input('attention_mask', DataType.INT64, dims);
  const tokenTypeIds = g.input('token_type_ids', DataType.INT64, dims);

  // 1. Embeddings: word + position + token type, then LayerNorm.
  const word = g.initializer('embeddings.word', normalArray(rng, vocabSize * EMBEDDER_DIM, 1), [vocabSize, EMBEDDER_DIM]);
  const pos = g.initializer('embeddings.position', normalArray(rng, MAX_POSITIONS * EMBEDDER_DIM, SMALL), [MAX_POSITIONS, EMBEDDER_DIM]);
  const type = g.initializer('embeddings.token_type', normalArray(rng, TYPE_VOCAB * EMBEDDER_DIM, SMALL), [TYPE_VOCAB, EMBEDDER_DIM]);
  const positions = range(g, g.int64s([0], []), dimOf(g, inputIds, 1));
  const summed = g.op('Add', [
    g.op('Add', [g.op('Gather', [word, inputIds]), g.op('Gather', [pos, positions])]),
    g.op('Gather', [type, tokenTypeIds]),
  ]);
  let x = layerNorm(g, summed, 'embeddings.norm', EMBEDDER_DIM, EPS);

  // 2. Padding bias [batch, 1, 1, seq]: 0 where attended, -1e4 where padded.
  const maskF = unsqueeze(g, g.op('Cast', [attentionMask], { to: int(DataType.FLOAT) }), [1, 2]);
  const maskBias = g.op('Mul', [g.op('Sub', [g.floats([1], []), maskF]), g.floats([-1e4], [])]);

  // 3. Post-norm encoder layers.
  for (let l = 0; l < LAYERS; l++) {
    const p = `layers.${l}`;
    const q = splitHeads(g, linear(g, rng, x, `${p}.attn.q`, EMBEDDER_DIM, EMBEDDER_DIM, { bias: true }), HEADS, HEAD_DIM);
    const k = splitHeads(g, linear(g, rng, x, `${p}.attn.k`, EMBEDDER_DIM, EMBEDDER_DIM, { bias: true }), HEADS, HEAD_DIM);
    const v = splitHeads(g, linear(g, rng, x, `${p}.attn.v`, EMBEDDER_DIM, EMBEDDER_DIM, { bias: true }), HEADS, HEAD_DIM);
    const kT = g.op('Transpose', [k], { perm: ints([0, 1, 3, 2]) });
    const scores = g.op('Mul', [g.op('MatMul', [q, kT]), g.floats([1 / Math.sqrt(HEAD_DIM)], [])]);
    const probs = g.op('Softmax', [g.op('Add', [scores, maskBias])], { axis: int(-1) });
    const context = mergeHeads(g, g.op('MatMul', [probs, v]), HEADS, HEAD_DIM);
    const attnOut = linear(g, rng, context, `${p}.attn.out`, EMBEDDER_DIM, EMBEDDER_DIM, { bias: true, scale: SMALL });
    x = layerNorm(g, g.op('Add', [x, attnOut]), `${p}.attn.norm`, EMBEDDER_DIM, EPS);

    const hidden = gelu(g, linear(g, rng, x, `${p}.ffn.in`, EMBEDDER_DIM, INTERMEDIATE, { bias: true }));
    const ffnOut = linear(g, rng, hidden, `${p}.ffn.out`, INTERMEDIATE, EMBEDDER_DIM, { bias: true, scale: SMALL });
    x = layerNorm(g, g.op('Add', [x, ffnOut]), `${p}.ffn.norm`, EMBEDDER_DIM, EPS);
  }

  g.nodeTo('Identity', [x], ['last_hidden_state']);
  g.output('last_hidden_state', DataType.FLOAT, [...dims, EMBEDDER_DIM]);
  return g.toModel();
}

/** Exact GELU, `0.5 · x · (1 + erf(x / √2))` (the Gelu op needs opset 20). */
function gelu(g: GraphBuilder, x: string): string {
  const erf = g.op('Erf', [g.op('Mul', [x, g.floats([Math.SQRT1_2], [])])]);
  return g.op('Mul', [g.op('Mul', [x, g.floats([0.5], [])]), g.op('Add', [erf, g.floats([1], [])])]);
}
