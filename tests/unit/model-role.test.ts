// A model is checked for its role before it is loaded: a chat model is refused as the embedder (it
// used to load as "llama", re-chunk the corpus and break dense search) and an encoder as the
// language model, in the app's loading path and in the CLI, with a message saying what it is.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { ModelLoadError } from '../../src/lib/core/errors';
import { checkModelRole, modelKind } from '../../src/lib/core/model-role';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';
import type { LoadProgress } from '../../src/lib/workers/models/protocol';

const ROOT = resolve(import.meta.dirname, '../..');
const folder = (name: string) => readModelFolder(resolve(ROOT, 'tests/models', name));
const FP32 = { device: 'wasm', dtype: 'fp32' } as const;

const open: { terminate(): void }[] = [];
afterEach(() => open.splice(0).forEach((c) => c.terminate()));

describe('the kind of model a config describes', () => {
  test.each([
    [{ model_type: 'llama', architectures: ['LlamaForCausalLM'] }, 'causal-lm'],
    [{ model_type: 'qwen2' }, 'causal-lm'],
    [{ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }, 'causal-lm'],
    [{ model_type: 'bert', architectures: ['BertModel'] }, 'encoder'],
    [{ model_type: 'xlm-roberta' }, 'encoder'],
    [{ model_type: 't5', architectures: ['T5ForConditionalGeneration'] }, 'seq2seq'],
    [{ model_type: 'bert', architectures: ['BertForSequenceClassification'] }, 'classifier'],
    [{ model_type: 'gemma3_text', architectures: ['Gemma3TextModel'] }, 'unknown'],
    // A decoder without a head, as decoder-based embedders (Qwen3-Embedding) name themselves.
    [{ model_type: 'qwen3', architectures: ['Qwen3Model'] }, 'unknown'],
    [{ model_type: 'tiny-unknown-arch' }, 'unknown'],
  ])('%j is %s', (config, kind) => {
    expect(modelKind(config)).toBe(kind);
  });

  test('each role refuses what it cannot use and names both sides', () => {
    const llama = checkModelRole({ model_type: 'llama', architectures: ['LlamaForCausalLM'] }, 'feature-extraction', 'org/chat');
    expect(llama?.problem).toBe('wrong-role');
    expect(llama?.message).toMatch(/org\/chat is a causal .*LlamaForCausalLM.* embedding model must be a sentence embedder/);
    expect(checkModelRole({ model_type: 'bert', architectures: ['BertModel'] }, 'text-generation', 'org/mini')?.message).toMatch(/is an encoder .* must be a causal language model/);
    expect(checkModelRole({ model_type: 'bert', architectures: ['BertModel'] }, 'feature-extraction', 'x')).toBeNull();
    expect(checkModelRole({ model_type: 'llama', architectures: ['LlamaForCausalLM'] }, 'text-generation', 'x')).toBeNull();
    // Nothing conclusive is left to the architecture check, so new embedders are not locked out.
    expect(checkModelRole({ model_type: 'gemma3_text', architectures: ['Gemma3TextModel'] }, 'feature-extraction', 'x')).toBeNull();
  });
});

describe('the loader refuses the wrong kind before reading any ONNX file', () => {
  test('the tiny Llama as the embedding model, in the corpus worker the app loads it into', async () => {
    const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`model-role-${Math.random()}`)));
    const corpus = new CorpusClient(endpoint, close);
    open.push(corpus);
    await corpus.call('open', undefined);
    const events: LoadProgress[] = [];
    const error = await corpus.call('loadEmbedder', { source: await folder('tiny/llama'), options: FP32 }, { onProgress: (p) => events.push(p) }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('wrong-role');
    expect(error.message).toMatch(/is a causal \(text-generating\) language model \(LlamaForCausalLM\), but the embedding model must be a sentence embedder/);
    expect(events.flatMap((e) => e.files.map((f) => f.file))).not.toContain('onnx/model.onnx');
    expect((await corpus.call('summary', undefined)).embedder.loaded).toBeNull();
    // The same worker still takes a real embedder.
    expect((await corpus.call('loadEmbedder', { source: await folder('tiny/embedder'), options: FP32 })).embedder.loaded?.modelType).toBe('bert');
  });

  test('the tiny embedder as the language model', async () => {
    const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
    const client = new GeneratorClient(endpoint, close);
    open.push(client);
    const error = await client.load(await folder('tiny/embedder'), FP32).catch((e) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error.problem).toBe('wrong-role');
    expect(error.message).toMatch(/is an encoder .*\(BertModel\), but a language model must be a causal language model/);
  });

  test('in the corpus worker: the indexed corpus, its chunks and its dense search are untouched', async () => {
    const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`model-role-${Math.random()}`)));
    const corpus = new CorpusClient(endpoint, close);
    open.push(corpus);
    await corpus.call('open', undefined);
    const doc = (path: string, text: string) => ({ path, blob: new Blob([text]) });
    await corpus.call('ingest', { files: [doc('a.md', '# Refunds\n\nRefunds take fourteen days.'), doc('b.md', '# Sync\n\nSync runs every minute.')] });
    await corpus.call('loadEmbedder', { source: await folder('tiny/embedder'), options: FP32 });
    const indexed = await corpus.call('index', undefined);
    const chunkIds = async () => (await Promise.all(['a.md', 'b.md'].map((path) => corpus.call('chunksOf', { path })))).flat().map((c) => c.id);
    const before = await chunkIds();

    const error = await corpus.call('loadEmbedder', { source: await folder('tiny/llama'), options: FP32 }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ModelLoadError', problem: 'wrong-role' });
    const after = await corpus.call('summary', undefined);
    expect(after.embedder.conflict).toBe(false);
    expect(after.embeddedCount).toBe(indexed.chunkCount);
    expect(await chunkIds()).toEqual(before);
    const { hits } = await corpus.call('search', { query: 'refund', mode: 'dense', k: 2 });
    expect(hits).toHaveLength(2);
  });

  test('the CLI says it in one line and exits non-zero before embedding anything', { timeout: 60_000 }, async () => {
    const args = ['eval-retrieval', '--docs', 'public/sample-wiki', '--questions', 'public/sample-wiki/questions.jsonl', '--mode', 'dense', '--model', 'tests/models/tiny/llama'];
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile('npm', ['run', '--silent', 'raft', '--', ...args], { cwd: ROOT }, (error, _stdout, stderr) => done({ code: error ? 1 : 0, stderr })),
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/causal \(text-generating\) language model .* must be a sentence embedder/);
    expect(stderr).not.toMatch(/embedding: \d+\/\d+ chunks/);
  });
});
