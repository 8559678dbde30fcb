// Training examples as token ids with a completion mask, and the padded micro-batches the trainer feeds its
// forward pass. The loss covers the assistant's answer only (the RAFT paper's and TRL's completion-only loss),
// averaged over every answer token of the optimizer step, as transformers' Trainer does with accumulation.

/** One chat tokenized with its model's template: `ids`, of which the answer is `ids.slice(promptLength)`. */
export interface TokenizedExample {
  ids: number[];
  promptLength: number;
}

/** A padded micro-batch as flat arrays: the shapes are [size, length] (mask: [size, 1, 1, length, length]). */
export interface MicroBatch {
  size: number;
  length: number;
  ids: Int32Array;
  /** The next token at each position (0 where unused). */
  targets: Int32Array;
  /** Each position's share of the step's loss: 1 / (answer tokens in the step) where it predicts an answer token. */
  weights: Float32Array;
  /** Additive attention mask: 0 where query i may see key j (j ≤ i, j not padding), else -1e9. */
  mask: Float32Array;
}

/** A large finite negative: -Infinity would give NaN gradients where a whole row is masked. */
const MASKED = -1e9;

/** Splits `prompt + answer` ids into an example, cut to `maxLength` tokens at the end (as TRL truncates). */
export function tokenizedExample(promptIds: readonly number[], fullIds: readonly number[], maxLength: number): TokenizedExample {
  const prefix = promptIds.every((id, i) => fullIds[i] === id);
  if (!prefix || fullIds.length <= promptIds.length) {
    throw new Error('the chat template does not render the prompt as a prefix of the whole chat: the answer cannot be told apart');
  }
  return { ids: fullIds.slice(0, maxLength), promptLength: promptIds.length };
}

/** Answer tokens an example adds to the loss (the first token never does: nothing predicts it). */
export function answerTokens(example: TokenizedExample): number {
  return Math.max(0, example.ids.length - Math.max(1, example.promptLength));
}

/**
 * One micro-batch of `examples`, right-padded to `length` (at least the longest; a few fixed lengths spare the
 * compiler new shapes), whose answer tokens each weigh 1 / `stepTokens`.
 */
export function microBatch(examples: readonly TokenizedExample[], stepTokens: number, length = Math.max(...examples.map((e) => e.ids.length))): MicroBatch {
  const size = examples.length;
  const batch: MicroBatch = {
    size,
    length,
    ids: new Int32Array(size * length),
    targets: new Int32Array(size * length),
    weights: new Float32Array(size * length),
    mask: new Float32Array(size * length * length).fill(MASKED),
  };
  examples.forEach((example, b) => {
    const n = example.ids.length;
    if (n > length) throw new RangeError(`an example of ${n} tokens does not fit a batch of length ${length}`);
    const row = b * length;
    batch.ids.set(example.ids, row);
    for (let t = 0; t + 1 < n; t++) {
      batch.targets[row + t] = example.ids[t + 1];
      if (t + 1 >= example.promptLength) batch.weights[row + t] = 1 / stepTokens;
    }
    // NOTE: padded queries see key 0 only, so their softmax rows stay finite; they weigh nothing in the loss.
    for (let i = 0; i < length; i++) {
      const visible = i < n ? i : 0;
      batch.mask.fill(0, (row + i) * length, (row + i) * length + visible + 1);
    }
  });
  return batch;
}

/**
 * The length an example is padded to: the smallest of 64 × {1, 2, 3, 4, 6, 8, 12, 16, …} that holds it.
 * NOTE: two constraints, both measured in jax-js's WASM backend (tiny Llama, Node). Aligned shapes run far faster
 * (958 tokens: 1.66 s a step; 960: 0.45 s). And its allocator keeps freed buffers by exact size and never merges
 * them, so every new length adds a new set of buffers: padding to a multiple of 64 gave ten lengths on the sample
 * wiki's RAFT export and ran out of its 4 GiB after four steps. These few lengths (ratio ≤ 1.5) bound both.
 */
export function paddedLength(tokens: number): number {
  for (let size = 64; ; size *= 2) {
    if (tokens <= size) return size;
    if (size >= 128 && tokens <= size * 1.5) return size * 1.5;
  }
}

/**
 * An optimizer step's examples as micro-batches of one example each, padded to `paddedLength`.
 * NOTE: one example a micro-batch gives the same gradient as the recipe's batches of `batchSize` (the loss is a sum
 * over tokens, scaled by the step's token count) and ran faster: 1,439 tokens/s at [1, 1024] against 911 at [2, 1024].
 */
export function stepBatches(examples: readonly TokenizedExample[]): MicroBatch[] {
  const stepTokens = examples.reduce((sum, example) => sum + answerTokens(example), 0);
  if (stepTokens === 0) throw new RangeError('these examples have no answer tokens to learn from (answers cut off by the length limit?)');
  return examples.map((example) => microBatch([example], stepTokens, paddedLength(example.ids.length)));
}
