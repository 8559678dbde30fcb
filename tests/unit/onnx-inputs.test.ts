// The ONNX graph-input reader on the generated tiny models (read in slices, weights skipped), on broken
// bytes, and the check of the inputs transformers.js feeds each kind of model.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OnnxFormatError, ReadBudgetError, readGraphInputs, type RangeReader } from '../../src/lib/core/onnx/graph-inputs';
import { checkGraphInputs } from '../../src/lib/core/onnx/input-contract';
import { concatBytes, encodeVarint, ProtoWriter } from '../../scripts/tiny-models/protobuf';

const MODELS = resolve(import.meta.dirname, '../models');
const onnxOf = (id: string) => readFile(resolve(MODELS, id, 'onnx/model.onnx'));

/** A reader over bytes that counts what it is asked for. */
function counting(bytes: Uint8Array): { read: RangeReader; reads: number; bytesRead: number } {
  const stats = { reads: 0, bytesRead: 0 };
  const read: RangeReader = async (offset, length) => {
    stats.reads++;
    const slice = bytes.subarray(offset, offset + length);
    stats.bytesRead += slice.length;
    return slice;
  };
  return Object.assign(stats, { read });
}

const LLAMA_INPUTS = [
  'input_ids',
  'attention_mask',
  'position_ids',
  'past_key_values.0.key',
  'past_key_values.0.value',
  'past_key_values.1.key',
  'past_key_values.1.value',
];

describe('readGraphInputs on the tiny models', () => {
  test.each([
    ['tiny/llama', LLAMA_INPUTS],
    ['tiny/embedder', ['input_ids', 'attention_mask', 'token_type_ids']],
    ['broken/no-kv-cache', ['input_ids', 'attention_mask', 'position_ids']],
  ])('%s', async (id, expected) => {
    const bytes = await onnxOf(id);
    expect(await readGraphInputs(counting(bytes).read, bytes.length)).toEqual(expected);
  });

  test('the echo model declares the cache too', async () => {
    const bytes = await onnxOf('tiny/echo');
    const inputs = await readGraphInputs(counting(bytes).read, bytes.length);
    expect(inputs).toContain('past_key_values.0.key');
  });
});

test('a 3 GiB file is read in a few small slices: the weights are skipped by their length', async () => {
  // ModelProto { ir_version, graph { node, initializer of 3 GiB, input, input } }, with the weight bytes virtual.
  const weight = 3 * 1024 ** 3;
  const node = new ProtoWriter().string(1, 'input_ids').string(2, 'y').string(4, 'Identity').finish();
  const input = (name: string) => new ProtoWriter().string(1, name).finish();
  const graphHead = concatBytes([new ProtoWriter().bytes(1, node).finish(), encodeVarint((5 << 3) | 2), encodeVarint(weight)]);
  const graphTail = new ProtoWriter().bytes(11, input('input_ids')).bytes(11, input('attention_mask')).finish();
  const graphLength = graphHead.length + weight + graphTail.length;
  const head = concatBytes([new ProtoWriter().varint(1, 8).finish(), encodeVarint((7 << 3) | 2), encodeVarint(graphLength), graphHead]);
  const size = head.length + weight + graphTail.length;
  const tailStart = head.length + weight;
  let bytesRead = 0;
  const read: RangeReader = async (offset, length) => {
    const out = new Uint8Array(Math.min(length, size - offset));
    for (let i = 0; i < out.length; i++) {
      const at = offset + i;
      out[i] = at < head.length ? head[at] : at >= tailStart ? graphTail[at - tailStart] : 0;
    }
    bytesRead += out.length;
    return out;
  };
  expect(await readGraphInputs(read, size)).toEqual(['input_ids', 'attention_mask']);
  expect(bytesRead).toBeLessThan(16 * 1024);
});

describe('bytes that are not a whole ONNX model', () => {
  test('the corrupt-onnx fixture is refused as not protobuf', async () => {
    const bytes = await onnxOf('broken/corrupt-onnx');
    await expect(readGraphInputs(counting(bytes).read, bytes.length)).rejects.toThrow(OnnxFormatError);
  });
  test('a truncated file says so', async () => {
    const bytes = (await onnxOf('tiny/llama')).subarray(0, 60_000);
    await expect(readGraphInputs(counting(bytes).read, bytes.length)).rejects.toThrow(/truncated/);
  });
  test('a file with no graph says so', async () => {
    const bytes = new ProtoWriter().varint(1, 8).string(2, 'producer').finish();
    await expect(readGraphInputs(counting(bytes).read, bytes.length)).rejects.toThrow(/no graph/);
  });
  test('a read budget stops a slow source instead of reading on', async () => {
    const bytes = await onnxOf('tiny/llama');
    await expect(readGraphInputs(counting(bytes).read, bytes.length, { maxReads: 2 })).rejects.toThrow(ReadBudgetError);
  });
});

describe('checkGraphInputs', () => {
  const llama = { model_type: 'llama', num_hidden_layers: 2 };
  const where = 'onnx/model.onnx of my-model';

  test('the tiny Llama and the tiny embedder pass', () => {
    expect(checkGraphInputs({ task: 'text-generation', inputs: LLAMA_INPUTS, config: llama, where })).toBeNull();
    expect(checkGraphInputs({ task: 'feature-extraction', inputs: ['input_ids', 'attention_mask', 'token_type_ids'], config: null, where })).toBeNull();
  });

  test('a decoder exported without the cache is refused, with how to export it again', () => {
    const problem = checkGraphInputs({ task: 'text-generation', inputs: ['input_ids', 'attention_mask', 'position_ids'], config: llama, where });
    expect(problem?.problem).toBe('missing-inputs');
    expect(problem?.message).toContain('onnx/model.onnx of my-model has no KV-cache inputs');
    expect(problem?.message).toContain('text-generation-with-past');
  });

  test('a decoder without attention_mask names it and lists what it has', () => {
    const problem = checkGraphInputs({ task: 'text-generation', inputs: ['input_ids', 'past_key_values.0.key'], config: null, where });
    expect(problem?.message).toMatch(/lacks the input attention_mask .* \(its inputs: input_ids, past_key_values\.0\.key\)/);
  });

  test('an encoder without input_ids or attention_mask is refused', () => {
    const problem = checkGraphInputs({ task: 'feature-extraction', inputs: ['inputs_embeds'], config: null, where });
    expect(problem?.message).toContain('lacks the inputs input_ids, attention_mask');
  });

  test('a cache for fewer layers than config.json names the missing inputs', () => {
    const problem = checkGraphInputs({ task: 'text-generation', inputs: LLAMA_INPUTS.slice(0, 5), config: llama, where });
    expect(problem?.message).toContain("fewer layers than config.json's 2: past_key_values.1.key, past_key_values.1.value are missing");
  });

  test('hybrid models with other state names are not counted', () => {
    const inputs = ['input_ids', 'attention_mask', 'past_conv.0', 'past_key_values.2.key', 'past_key_values.2.value'];
    expect(checkGraphInputs({ task: 'text-generation', inputs, config: { num_hidden_layers: 4 }, where })).toBeNull();
  });
});
