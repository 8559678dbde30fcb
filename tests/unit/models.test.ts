import { describe, expect, test } from 'vitest';
import { availableDtypes, checkModelFolder, normaliseModelFiles, parseHubId, sourceKey } from '../../src/lib/core/models';

const blob = (text = 'x') => new Blob([text]);

describe('parseHubId', () => {
  test('accepts owner/name with an optional pinned revision', () => {
    expect(parseHubId('Xenova/all-MiniLM-L6-v2')).toEqual({ id: 'Xenova/all-MiniLM-L6-v2' });
    expect(parseHubId(' onnx-community/Qwen2.5-0.5B-Instruct@a1b2c3 ')).toEqual({ id: 'onnx-community/Qwen2.5-0.5B-Instruct', revision: 'a1b2c3' });
  });
  test('rejects what the Hub would refuse', () => {
    for (const bad of ['', 'no-owner', 'a/b/c', 'a/b@r@s', 'a/..b', 'a/b--c', 'https://example.com/a/b']) expect(parseHubId(bad)).toBeNull();
  });
});

describe('normaliseModelFiles', () => {
  test('strips the picked folder name and moves root ONNX files under onnx/', () => {
    const files = normaliseModelFiles([
      { path: 'my-model/config.json', blob: blob() },
      { path: 'my-model/model.onnx', blob: blob() },
      { path: 'my-model/onnx/model_q4.onnx', blob: blob() },
    ]);
    expect(files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx', 'onnx/model_q4.onnx']);
  });
  test('keeps paths of loose files as they are', () => {
    expect(normaliseModelFiles([{ path: 'config.json', blob: blob() }, { path: 'onnx/model.onnx', blob: blob() }]).map((f) => f.path)).toEqual([
      'config.json',
      'onnx/model.onnx',
    ]);
  });
});

describe('checkModelFolder', () => {
  const complete = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
  const llama = { model_type: 'llama' };
  const supports = (t: string) => t === 'llama';
  test('a complete folder of a supported architecture passes', () => {
    expect(checkModelFolder({ paths: complete, config: llama, task: 'text-generation', dtype: 'fp32', supports })).toBeNull();
  });
  test('names a missing tokenizer', () => {
    const problem = checkModelFolder({ paths: complete.filter((p) => p !== 'tokenizer.json'), config: llama, task: 'text-generation', dtype: 'fp32', supports });
    expect(problem).toMatchObject({ problem: 'missing-file' });
    expect(problem!.message).toContain('tokenizer.json');
  });
  test('names the missing ONNX file and lists the dtypes that are there', () => {
    const problem = checkModelFolder({ paths: complete, config: llama, task: 'text-generation', dtype: 'q4f16', supports });
    expect(problem!.message).toContain('onnx/model_q4f16.onnx');
    expect(problem!.message).toContain('Available: fp32, q8');
  });
  test('names an unsupported architecture', () => {
    const problem = checkModelFolder({ paths: complete, config: { model_type: 'wavenet9000' }, task: 'text-generation', dtype: 'fp32', supports });
    expect(problem).toMatchObject({ problem: 'unsupported-architecture' });
    expect(problem!.message).toContain('"wavenet9000"');
  });
  test('a folder without config.json is refused', () => {
    expect(checkModelFolder({ paths: complete.slice(1), config: null, task: 'feature-extraction', dtype: 'fp32', supports })!.message).toContain('config.json');
  });
});

test('availableDtypes reads the onnx/ file names', () => {
  expect(availableDtypes(['onnx/model.onnx', 'onnx/model_q4f16.onnx', 'onnx/other.onnx'])).toEqual(['fp32', 'q4f16']);
});

test('sourceKey is stable for the same files and differs for different ones', () => {
  const a = { kind: 'files' as const, name: 'm', files: [{ path: 'config.json', blob: blob('ab') }] };
  const b = { kind: 'files' as const, name: 'm', files: [{ path: 'config.json', blob: blob('abc') }] };
  expect(sourceKey(a)).toBe(sourceKey({ ...a }));
  expect(sourceKey(a)).not.toBe(sourceKey(b));
  expect(sourceKey({ kind: 'hub', id: 'a/b' })).toBe('hub:a/b@main');
  expect(sourceKey({ kind: 'url', url: 'http://x/m/' })).toBe(sourceKey({ kind: 'url', url: 'http://x/m' }));
});
