// The CLI's model folder reader: with a dtype it hands the loader only the files that dtype needs (not the
// other dtypes' weights, which would double the memory), and it follows symlinked files and folders, as
// a Hub cache snapshot (all symlinks into blobs/) is laid out.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readModelFolder } from '../../src/cli/model-folder';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';

const LLAMA = resolve(import.meta.dirname, '../models/tiny/llama');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raft-model-folder-'));
  await mkdir(join(dir, 'model/onnx'), { recursive: true });
  await mkdir(join(dir, 'blobs'));
  // Every file of the tiny Llama is a symlink; onnx/model.onnx one to a symlink in blobs/.
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    await symlink(join(LLAMA, name), join(dir, 'model', name));
  }
  await symlink(join(LLAMA, 'onnx/model.onnx'), join(dir, 'blobs/model.onnx'));
  await symlink(join(dir, 'blobs/model.onnx'), join(dir, 'model/onnx/model.onnx'));
  // A second dtype with external data, and files no dtype needs.
  await writeFile(join(dir, 'model/onnx/model_quantized.onnx'), 'q8 graph');
  await writeFile(join(dir, 'model/onnx/model_quantized.onnx_data'), 'q8 weights');
  await writeFile(join(dir, 'model/model.safetensors'), 'PyTorch weights');
  await symlink(join(dir, 'missing'), join(dir, 'model/dangling.json'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const paths = async (dtype?: 'fp32' | 'q8') => (await readModelFolder(join(dir, 'model'), dtype)).files.map((f) => f.path).sort();

test('with a dtype, only that dtype’s weights and the small side files are read', async () => {
  expect(await paths('fp32')).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  expect(await paths('q8')).toEqual(['config.json', 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data', 'tokenizer.json', 'tokenizer_config.json']);
});

test('without a dtype every file is listed, symlinks followed, a dangling one skipped', async () => {
  expect(await paths()).toEqual([
    'config.json',
    'model.safetensors',
    'onnx/model.onnx',
    'onnx/model_quantized.onnx',
    'onnx/model_quantized.onnx_data',
    'tokenizer.json',
    'tokenizer_config.json',
  ]);
});

test('a folder of symlinks loads and generates through the app’s loader', async () => {
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const client = new GeneratorClient(endpoint, close);
  try {
    const source = await readModelFolder(join(dir, 'model'), 'fp32');
    const blob = source.files.find((f) => f.path === 'onnx/model.onnx')!.blob;
    expect(blob.size).toBeGreaterThan(1000);
    const loaded = await client.load(source, { device: 'wasm', dtype: 'fp32' });
    expect(loaded.dtype).toBe('fp32');
    const reply = await client.generate([{ role: 'user', content: 'Hello' }], { maxNewTokens: 4, greedy: true, temperature: 0, topP: 1 });
    expect(reply.tokens).toBe(4);
  } finally {
    client.terminate();
  }
});
