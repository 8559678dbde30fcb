// Names of cached model files: one canonical key per Hub file, grouping by model id and revision for
// the model manager, saved-folder manifests, and the memory of each card's last load.
import { describe, expect, test } from 'vitest';
import { canonicalHubKey, groupHubFiles, parseHubKey, parseManifest } from '../../src/lib/core/model-cache';
import { parseRemembered } from '../../src/lib/state/remembered-models';

const HUB = 'https://huggingface.co/';

describe('canonicalHubKey', () => {
  test('keeps the download URL transformers.js uses for the main revision', () => {
    const url = `${HUB}Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model_quantized.onnx`;
    expect(canonicalHubKey(url, HUB)).toBe(url);
  });
  test('turns the key of a pinned revision (owner/name/revision/file) into the same URL form', () => {
    expect(canonicalHubKey('HuggingFaceTB/SmolLM2-360M-Instruct/a1b2c3/onnx/model_q4f16.onnx', HUB)).toBe(
      `${HUB}HuggingFaceTB/SmolLM2-360M-Instruct/resolve/a1b2c3/onnx/model_q4f16.onnx`,
    );
  });
  test('leaves local-path lookups and short keys alone', () => {
    for (const key of ['/models/Xenova/x/config.json', './a/b/c/d', 'a/b/config.json', 'blob:http://x/y']) expect(canonicalHubKey(key, HUB)).toBe(key);
  });
});

test('groupHubFiles groups by model id and revision with sizes, and keeps foreign keys apart', () => {
  const { models, other } = groupHubFiles([
    { url: `${HUB}b/model/resolve/main/config.json`, size: 1_000 },
    { url: `${HUB}a/model/resolve/main/onnx/model.onnx`, size: 90_000_000 },
    { url: `${HUB}a/model/resolve/main/config.json`, size: 600 },
    { url: `${HUB}a/model/resolve/v2/config.json`, size: 700 },
    { url: 'http://127.0.0.1:4173/assets/a/model/v1/config.json', size: 5 },
  ]);
  expect(models.map((m) => [m.id, m.revision, m.bytes, m.files.map((f) => f.file)])).toEqual([
    ['a/model', 'main', 90_000_600, ['config.json', 'onnx/model.onnx']],
    ['a/model', 'v2', 700, ['config.json']],
    ['b/model', 'main', 1_000, ['config.json']],
  ]);
  expect(other).toEqual([{ url: 'http://127.0.0.1:4173/assets/a/model/v1/config.json', size: 5 }]);
  expect(parseHubKey(`${HUB}a/model/resolve/refs%2Fpr%2F1/config.json`)).toEqual({ id: 'a/model', revision: 'refs/pr/1', file: 'config.json' });
});

test('parseManifest accepts a whole manifest only', () => {
  const good = { id: 'abc', name: 'my-model', savedAt: 5, files: [{ path: 'config.json', size: 10 }, { path: 'onnx/model.onnx', size: 90 }] };
  expect(parseManifest(good)).toEqual({ ...good, bytes: 100 });
  expect(parseManifest({ ...good, files: [{ path: 'x' }] })).toBeNull();
  expect(parseManifest({ ...good, name: 3 })).toBeNull();
  expect(parseManifest(null)).toBeNull();
});

test('parseRemembered keeps valid entries per card and drops the rest', () => {
  const raw = JSON.stringify({
    base: { source: { kind: 'hub', id: 'org/m', revision: 'v1' }, dtype: 'q4', device: 'wasm', label: 'org/m@v1' },
    tuned: { source: { kind: 'saved', id: 'x' }, dtype: 'q8', device: 'auto', label: '' },
    embedder: { source: { kind: 'url', url: '/models/e/' }, dtype: 'nope', device: 'auto' },
  });
  expect(parseRemembered(raw)).toEqual({ base: { source: { kind: 'hub', id: 'org/m', revision: 'v1' }, dtype: 'q4', device: 'wasm', label: 'org/m@v1' } });
  expect(parseRemembered('{not json')).toEqual({});
});
