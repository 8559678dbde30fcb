// The "echo" LM: a hand-built graph with the tiny Llama's exact I/O contract that,
// in a ChatML chat, replies with the last user message verbatim and then <|im_end|>.

import { type LlamaShape, appendToCache, declareDecoderInputs, declareLogits, lmFolder } from './decoder.ts';
import type { ModelFolder } from './folder.ts';
import { dimOf, range, reshape, unsqueeze } from './layers.ts';
import { DataType, GraphBuilder, int, ints } from './onnx.ts';
import { LM_EOS_ID, LM_IM_START_ID, LM_NEWLINE_ID } from './tokenizers.ts';

/** One layer with one kv head of width 1: the cache holds one number per position, the token id. */
const SHAPE: LlamaShape = {
  hidden_size: 1,
  intermediate_size: 1,
  num_hidden_layers: 1,
  num_attention_heads: 1,
  num_key_value_heads: 1,
  head_dim: 1,
};

/** A position index larger than any sequence, meaning "not found". */
const NOT_FOUND = 1e7;
/** Logit of the chosen token; every other token gets 0. */
const CHOSEN_LOGIT = 20;

/**
 * Builds the echo folder. At each step the graph reads the whole conversation
 * from its cache, so an exact echo proves transformers.js wires the cache right.
 */
export function buildEcho(): ModelFolder {
  return lmFolder(SHAPE, buildGraph);
}

/**
 * The rule, for the token after position p (all positions index the
 * concatenated past + new tokens, pads included):
 * - sA = the last `<|im_start|>` (the assistant header), sU = the one before it
 *   (the last user turn);
 * - U = the position after the first `\n` following sU (start of the user's
 *   text), A = likewise after sA (start of the reply);
 * - E = the first `<|im_end|>` after sU (the end of the user's text);
 * - emit token[U + (p + 1 - A)] while that index is at most E (and before sA), so
 *   the reply is the text, then `<|im_end|>`; otherwise emit `<|im_end|>`.
 *   NOTE: transformers.js keeps stepping finished rows of a batch, so a row that
 *   has replied must keep emitting `<|im_end|>`, which then decodes to nothing.
 */
function buildGraph(vocabSize: number): Uint8Array {
  const g = new GraphBuilder('tiny-echo');
  const io = declareDecoderInputs(g, SHAPE);
  const f = (value: number) => g.floats([value], []);
  const where = (cond: string, a: string, b: string) => g.op('Where', [cond, a, b]);
  const and = (a: string, b: string) => g.op('And', [a, b]);

  // 1. The cache stores token ids as floats ([batch, 1, seq, 1]); both key and value hold them.
  const newIds = unsqueeze(g, g.op('Cast', [io.inputIds], { to: int(DataType.FLOAT) }), [1, 3]);
  const present = appendToCache(g, SHAPE, 0, io.past[0], newIds, newIds);
  const tokens = reshape(g, present.key, [0, -1]);
  const total = dimOf(g, tokens, 1);
  const index = range(g, g.int64s([0], []), total, true);
  const attended = g.op('Cast', [io.attentionMask], { to: int(DataType.BOOL) });

  // 2. Headers: the last two <|im_start|> positions, and the newline ending each.
  const lastWhere = (cond: string) =>
    g.op('ReduceMax', [where(cond, index, f(-1))], { axes: ints([1]), keepdims: int(1) });
  const isStart = and(g.op('Equal', [tokens, f(LM_IM_START_ID)]), attended);
  const assistantStart = lastWhere(isStart);
  const userStart = lastWhere(and(isStart, g.op('Less', [index, assistantStart])));
  const firstAfter = (tokenId: number, from: string) => {
    const cond = and(g.op('Equal', [tokens, f(tokenId)]), g.op('Greater', [index, from]));
    return g.op('ReduceMin', [where(cond, index, f(NOT_FOUND))], { axes: ints([1]), keepdims: int(1) });
  };
  const userText = g.op('Add', [firstAfter(LM_NEWLINE_ID, userStart), f(1)]);
  const userEnd = firstAfter(LM_EOS_ID, userStart);
  const reply = g.op('Add', [firstAfter(LM_NEWLINE_ID, assistantStart), f(1)]);

  // 3. For each new position p: source index U + (p + 1 - A), valid while inside the user turn.
  const past = g.op('Sub', [total, dimOf(g, io.inputIds, 1)]);
  const next = g.op('Add', [range(g, past, total, true), f(1)]);
  const offset = g.op('Sub', [next, reply]);
  const source = g.op('Add', [userText, offset]);
  const valid = and(
    and(g.op('GreaterOrEqual', [userStart, f(0)]), g.op('GreaterOrEqual', [offset, f(0)])),
    and(g.op('LessOrEqual', [source, userEnd]), g.op('Less', [source, assistantStart])),
  );
  const lastIndex = g.op('Cast', [g.op('Sub', [total, g.int64s([1], [])])], { to: int(DataType.FLOAT) });
  const clamped = g.op('Cast', [g.op('Clip', [source, f(0), lastIndex])], { to: int(DataType.INT64) });
  const copied = g.op('GatherElements', [tokens, clamped], { axis: int(1) });
  const chosen = where(valid, copied, f(LM_EOS_ID));

  // 4. One-hot logits [batch, seq, vocab].
  const vocab = g.floats(Array.from({ length: vocabSize }, (_, i) => i));
  const hit = g.op('Cast', [g.op('Equal', [unsqueeze(g, chosen, [-1]), vocab])], { to: int(DataType.FLOAT) });
  g.nodeTo('Mul', [hit, f(CHOSEN_LOGIT)], ['logits']);
  declareLogits(g, 'logits', vocabSize);
  return g.toModel();
}
