// The generation worker's WordStreamer against transformers.js' TextStreamer on the tiny models: the
// same text, the same token count, handed on word by word.
import { resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, TextStreamer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, test } from 'vitest';
import { WordStreamer } from '../../src/lib/workers/llm/text-stream';

const MODELS = resolve(import.meta.dirname, '../models') + '/';

async function load(id: string): Promise<{ tokenizer: PreTrainedTokenizer; model: PreTrainedModel }> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = MODELS;
  const [tokenizer, model] = await Promise.all([AutoTokenizer.from_pretrained(id), AutoModelForCausalLM.from_pretrained(id, { dtype: 'fp32', device: 'cpu' })]);
  return { tokenizer, model };
}

/** Generates greedily with `streamer` built by `make`; returns the streamed pieces, tokens counted and the new token ids. */
async function generate(
  { tokenizer, model }: { tokenizer: PreTrainedTokenizer; model: PreTrainedModel },
  content: string,
  maxNewTokens: number,
  make: (onToken: () => void, onText: (piece: string) => void) => unknown,
) {
  const prompt = tokenizer.apply_chat_template([{ role: 'user', content }], { tokenize: false, add_generation_prompt: true }) as string;
  const inputs = tokenizer(prompt, { add_special_tokens: false });
  const pieces: string[] = [];
  let tokens = 0;
  const output = (await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false, streamer: make(() => tokens++, (p) => pieces.push(p)) as TextStreamer })) as {
    tolist(): bigint[][];
  };
  const promptLength = (inputs.input_ids as { dims: number[] }).dims[1];
  return { pieces, tokens, newIds: output.tolist()[0].slice(promptLength) };
}

const textStreamer = (tokenizer: PreTrainedTokenizer) => (onToken: () => void, onText: (p: string) => void) =>
  new TextStreamer(tokenizer, { skip_prompt: true, skip_special_tokens: true, token_callback_function: onToken, callback_function: onText });
const wordStreamer = (tokenizer: PreTrainedTokenizer) => (onToken: () => void, onText: (p: string) => void) => new WordStreamer(tokenizer, onToken, onText);

describe('WordStreamer', () => {
  let echo: Awaited<ReturnType<typeof load>>;
  let llama: Awaited<ReturnType<typeof load>>;
  beforeAll(async () => {
    [echo, llama] = [await load('tiny/echo'), await load('tiny/llama')];
  });

  test('streams the echo word by word, accents and emoji cut between byte-level tokens included', async () => {
    const message = 'Sync runs every hour. Accents (é, ñ) and emoji 😀 survive!\nA second line, too.';
    const streamed = await generate(echo, message, 120, wordStreamer(echo.tokenizer));
    const reference = await generate(echo, message, 120, textStreamer(echo.tokenizer));
    expect(streamed.pieces.join('')).toBe(message);
    expect(reference.pieces.join('')).toBe(message);
    expect(streamed.tokens).toBe(reference.tokens);
    // Every piece but the last ends a word.
    for (const piece of streamed.pieces.slice(0, -1)) expect(piece).toMatch(/[ \n]$/);
    expect(streamed.pieces.length).toBeGreaterThanOrEqual(message.split(/[ \n]/).length - 1);
    expect(streamed.pieces.some((p) => p.includes('\uFFFD'))).toBe(false);
  });

  test('gives the random Llama’s 96 tokens (invalid bytes included) the text TextStreamer and a plain decode give', async () => {
    const streamed = await generate(llama, 'Tell me a long story.', 96, wordStreamer(llama.tokenizer));
    const reference = await generate(llama, 'Tell me a long story.', 96, textStreamer(llama.tokenizer));
    expect(streamed.tokens).toBe(96);
    expect(streamed.newIds).toEqual(reference.newIds);
    const decoded = llama.tokenizer.decode(streamed.newIds, { skip_special_tokens: true });
    expect(decoded.length).toBeGreaterThan(20);
    expect(streamed.pieces.join('')).toBe(decoded);
    expect(reference.pieces.join('')).toBe(decoded);
  });

  test('equals a plain decode for a dozen more prompts and lengths', async () => {
    for (let i = 0; i < 12; i++) {
      const content = `Prompt ${i}: ${'héllo wörld 😀 日本語 '.repeat(i % 4)}${'x'.repeat(i)}`;
      const { pieces, newIds } = await generate(llama, content, 40 + i * 9, wordStreamer(llama.tokenizer));
      expect(pieces.join('')).toBe(llama.tokenizer.decode(newIds, { skip_special_tokens: true }));
    }
  });
});
