// The tiny-model generator, checked the way the app uses its output: every folder
// is loaded through transformers.js from a temporary directory, offline.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  type FeatureExtractionPipeline,
  type Tensor,
  TextStreamer,
  type TextGenerationPipeline,
  env,
  pipeline,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL_IDS, generateTinyModels } from '../../scripts/tiny-models/generate.ts';

let modelDir: string;

/** sha256 of every file under `dir`, keyed by relative path. */
async function hashTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const hashes: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    hashes[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return hashes;
}

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i], 0);
}

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'tiny-models-'));
  await generateTinyModels(modelDir);
  env.allowRemoteModels = false;
  env.localModelPath = `${modelDir}/`;
});

afterAll(async () => {
  await rm(modelDir, { recursive: true, force: true });
});

describe('tiny models generator', () => {
  it('writes the same bytes on every run, well under 3 MB', async () => {
    const again = await mkdtemp(join(tmpdir(), 'tiny-models-again-'));
    try {
      await generateTinyModels(again);
      const first = await hashTree(modelDir);
      expect(await hashTree(again)).toEqual(first);
      expect(Object.keys(first)).toContain('tiny/embedder/onnx/model.onnx');
      const sizes = await Promise.all(Object.keys(first).map(async (p) => (await readFile(join(modelDir, p))).length));
      expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(3 * 1024 * 1024);
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});

describe('tiny/embedder', () => {
  let embed: FeatureExtractionPipeline;
  beforeAll(async () => {
    embed = await pipeline('feature-extraction', TINY_MODEL_IDS.embedder, { dtype: 'fp32' });
  });

  it('returns 64-dimensional unit vectors that rank shared words as similar', async () => {
    const sentences = [
      'How do I request a refund?',
      'Request a refund from the billing page',
      'Sync your calendar with the API',
    ];
    const output = await embed(sentences, { pooling: 'mean', normalize: true });
    expect(output.dims).toEqual([3, 64]);
    const [query, related, unrelated] = output.tolist() as number[][];
    for (const vector of [query, related, unrelated]) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });

  it('tokenizes ASCII text into whole words without [UNK]', async () => {
    expect(embed.tokenizer.tokenize('How do I request a refund?')).toEqual(['how', 'do', 'i', 'request', 'a', 'refund', '?']);
  });
});

describe('tiny/echo', () => {
  let generator: TextGenerationPipeline;
  beforeAll(async () => {
    generator = await pipeline('text-generation', TINY_MODEL_IDS.echo, { dtype: 'fp32' });
  });

  /** Replies to a one-message chat; returns the reply and what the streamer saw. */
  async function reply(content: string): Promise<{ text: string; streamed: string; newTokens: number }> {
    const chunks: string[] = [];
    let newTokens = 0;
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (text: string) => chunks.push(text),
      token_callback_function: () => newTokens++,
    });
    const output = await generator([{ role: 'user', content }], { max_new_tokens: 64, do_sample: false, streamer });
    const chat = (output as { generated_text: { role: string; content: string }[] }[])[0].generated_text;
    return { text: chat.at(-1)!.content, streamed: chunks.join(''), newTokens };
  }

  it('streams back exactly the last user message, then stops on EOS', async () => {
    const { text, streamed, newTokens } = await reply('Refunds take 5 days.');
    expect(text).toBe('Refunds take 5 days.');
    expect(streamed).toBe('Refunds take 5 days.');
    expect(newTokens).toBeLessThan(64);
  });

  it('echoes a different message too, so its context comes through the KV cache', async () => {
    const { text } = await reply('Sync runs every hour. Accents (é) and emoji 😀 survive!');
    expect(text).toBe('Sync runs every hour. Accents (é) and emoji 😀 survive!');
  });
});

describe('tiny/llama', () => {
  it('generates exactly max_new_tokens tokens with greedy decoding', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_MODEL_IDS.llama);
    const model = await AutoModelForCausalLM.from_pretrained(TINY_MODEL_IDS.llama, { dtype: 'fp32' });
    const prompt = tokenizer.apply_chat_template([{ role: 'user', content: 'Hello!' }], {
      add_generation_prompt: true,
      tokenize: false,
    }) as string;
    const inputs = tokenizer(prompt);
    const output = (await model.generate({ ...inputs, max_new_tokens: 24, do_sample: false })) as Tensor;
    expect(output.dims).toEqual([1, inputs.input_ids.dims[1] + 24]);
    await model.dispose();
  });
});

describe('broken models', () => {
  // What transformers.js 4.3.1 throws (<dir> = env.localModelPath):
  // - missing-tokenizer: ModelFileNotFoundError "`local_files_only=true` or `env.allowRemoteModels=false`
  //   and file was not found locally at "<dir>broken/missing-tokenizer/tokenizer.json"."
  // - corrupt-onnx: Error "Load model from <dir>broken/corrupt-onnx/onnx/model.onnx failed:Protobuf parsing failed."
  // - unsupported-arch: Error "Unsupported model type: tiny-unknown-arch" (text-generation, AutoModelForCausalLM).
  //   NOTE: feature-extraction (AutoModel) does not reject it: it warns and falls back to the base class.
  it('rejects a folder without tokenizer.json', async () => {
    await expect(pipeline('feature-extraction', TINY_MODEL_IDS.missingTokenizer, { dtype: 'fp32' })).rejects.toThrow(
      /tokenizer\.json/,
    );
  });

  it('rejects a folder whose ONNX file is corrupt', async () => {
    await expect(pipeline('feature-extraction', TINY_MODEL_IDS.corruptOnnx, { dtype: 'fp32' })).rejects.toThrow(
      /Protobuf parsing failed/,
    );
  });

  it('no-kv-cache loads and runs, but after the first token it forgets the prompt (why the app refuses it)', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_MODEL_IDS.llama);
    const inputs = tokenizer('A prompt long enough to matter');
    const tokens = async (id: string) => {
      const model = await AutoModelForCausalLM.from_pretrained(id, { dtype: 'fp32' });
      expect(model.sessions.model.inputNames.some((n: string) => n.startsWith('past_key_values.'))).toBe(id === TINY_MODEL_IDS.llama);
      const output = (await model.generate({ ...inputs, max_new_tokens: 6, do_sample: false })) as Tensor;
      await model.dispose();
      return (output.tolist() as bigint[][])[0].slice(inputs.input_ids.dims[1]).map(Number);
    };
    const [withCache, without] = [await tokens(TINY_MODEL_IDS.llama), await tokens(TINY_MODEL_IDS.noKvCache)];
    // Same weights: the first step sees the whole prompt in both; then only the cached model still does.
    expect(without[0]).toBe(withCache[0]);
    expect(without).not.toEqual(withCache);
  });

  it('rejects an unknown model_type', async () => {
    await expect(pipeline('text-generation', TINY_MODEL_IDS.unsupportedArch, { dtype: 'fp32' })).rejects.toThrow(
      'Unsupported model type: tiny-unknown-arch',
    );
  });
});
