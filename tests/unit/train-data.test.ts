// The in-browser trainer's pure parts: reading a decoder's weights out of an exported ONNX file, the recipe's
// learning-rate schedule and example order, completion-only micro-batches, and PEFT's adapter files.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/lib/core/formats/safetensors';
import { readOnnxGraph } from '../../src/lib/core/onnx/onnx-graph';
import { OnnxFormatError } from '../../src/lib/core/onnx/graph-inputs';
import { answerTokens, microBatch, paddedLength, stepBatches, tokenizedExample } from '../../src/lib/core/train/batches';
import { decoderConfig, decoderWeights, UnsupportedModelError } from '../../src/lib/core/train/decoder-weights';
import { peftAdapterConfig, peftAdapterWeights, peftKey } from '../../src/lib/core/train/peft-adapter';
import { learningRate, RECIPE_DEFAULTS, settingsProblem, stepExamples, totalSteps } from '../../src/lib/core/train/settings';

const DEMO_BASE = resolve(import.meta.dirname, '../../public/models/demo/base');

describe('decoder weights from an exported ONNX model', () => {
  test('the demo base model: every projection of every layer, with the shapes its config gives, and a tied head', () => {
    const config = decoderConfig(JSON.parse(readFileSync(`${DEMO_BASE}/config.json`, 'utf8')));
    const weights = decoderWeights(readOnnxGraph(readFileSync(`${DEMO_BASE}/onnx/model.onnx`)), config);
    expect(config).toMatchObject({ modelType: 'llama', hidden: 128, layers: 2, heads: 4, kvHeads: 4, headDim: 32, vocabSize: 2048, tied: true });
    expect(weights.layers).toHaveLength(2);
    expect(weights.embed).toHaveLength(2048 * 128);
    expect(weights.lmHead).toBeNull();
    for (const layer of weights.layers) {
      expect(layer.proj.q_proj).toMatchObject({ inDim: 128, outDim: 128 });
      expect(layer.proj.down_proj).toMatchObject({ inDim: 384, outDim: 128 });
      expect(layer.proj.down_proj.weight).toHaveLength(384 * 128);
    }
    // Trained weights, not zeros or ones: the layers differ from each other.
    expect(weights.layers[0].proj.q_proj.weight).not.toEqual(weights.layers[1].proj.q_proj.weight);
    expect(weights.layers[0].inputNorm).not.toEqual(weights.layers[1].inputNorm);
  });

  test('refuses other architectures and non-ONNX bytes, saying why', () => {
    expect(() => decoderConfig({ model_type: 'gpt2', hidden_size: 64 })).toThrow(UnsupportedModelError);
    expect(() => decoderConfig({ model_type: 'gpt2' })).toThrow(/supports llama and qwen2 models; this one is "gpt2"/);
    expect(() => readOnnxGraph(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(OnnxFormatError);
  });
});

describe('the recipe schedule', () => {
  test('cosine with warm-up: the learning rates transformers logged for a 20-step run of recipes/finetune.py', () => {
    // From recipes/finetune.py --max-steps 20 --lr 1e-3 (warm-up ceil(0.05 × 20) = 1 step): its log_history.
    const logged = [0, 1e-3, 0.0009931806517013613, 0.0009729086208503173, 0.0009397368756032445, 0.0007008477123264848];
    const steps = [0, 1, 2, 3, 4, 8];
    steps.forEach((step, i) => expect(learningRate({ lr: 1e-3, warmupRatio: 0.05 }, step, 20)).toBeCloseTo(logged[i], 12));
  });

  test('each epoch visits every example once, in a seeded order; a step never spans two epochs', () => {
    const settings = { batchSize: 2, gradAccum: 2, seed: 3 };
    const perEpoch = totalSteps({ ...settings, epochs: 1, maxSteps: -1 }, 10);
    expect(perEpoch).toBe(3);
    const epoch = [0, 1, 2].map((step) => stepExamples(settings, 10, step));
    expect(epoch.map((s) => s.length)).toEqual([4, 4, 2]);
    expect(epoch.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stepExamples(settings, 10, 3)).not.toEqual(epoch[0]); // a new order next epoch
    expect(stepExamples(settings, 10, 1)).toEqual(epoch[1]); // and the same one again for the same step
    expect(totalSteps({ ...RECIPE_DEFAULTS }, 94)).toBe(36); // ceil(ceil(94 / 2) / 4) = 12 an epoch, 3 epochs
  });
});

test('settings out of range are named with their range (an emptied number field reads as null)', () => {
  expect(settingsProblem(RECIPE_DEFAULTS)).toBeNull();
  expect(settingsProblem({ ...RECIPE_DEFAULTS, rank: 0 })).toBe('The LoRA rank must be a whole number from 1 to 256 (got 0).');
  expect(settingsProblem({ ...RECIPE_DEFAULTS, lr: null as unknown as number })).toMatch(/^The learning rate must be from/);
  expect(settingsProblem({ ...RECIPE_DEFAULTS, maxLength: 100.5 })).toMatch(/^Max tokens per example/);
  expect(settingsProblem({ ...RECIPE_DEFAULTS, epochs: 0, maxSteps: 5 })).toBeNull(); // max steps overrides epochs
});

describe('completion-only micro-batches', () => {
  const example = tokenizedExample([1, 2, 3], [1, 2, 3, 7, 8, 9], 100);

  test('only positions that predict an answer token weigh in the loss, each 1 / (answer tokens of the step)', () => {
    const other = tokenizedExample([1, 2], [1, 2, 5, 6], 100);
    expect(answerTokens(example) + answerTokens(other)).toBe(5);
    const batch = microBatch([example], 5, 8);
    expect(Array.from(batch.targets)).toEqual([2, 3, 7, 8, 9, 0, 0, 0]);
    expect(Array.from(batch.weights)).toEqual([0, 0, 0.2, 0.2, 0.2, 0, 0, 0].map(Math.fround));
  });

  test('the mask is causal and hides padding; padded rows still see one key', () => {
    const { mask, length } = microBatch([example], 3, 8);
    const visible = (i: number) => Array.from(mask.subarray(i * length, (i + 1) * length)).map((v) => (v === 0 ? 1 : 0));
    expect(visible(0)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(visible(5)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(visible(7)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('long chats are cut at the end, and a template that breaks the prompt prefix is refused', () => {
    expect(tokenizedExample([1, 2], [1, 2, 3, 4, 5], 4).ids).toEqual([1, 2, 3, 4]);
    expect(() => tokenizedExample([1, 9], [1, 2, 3], 10)).toThrow(/prefix/);
    expect(() => stepBatches([tokenizedExample([1, 2, 3], [1, 2, 3, 4], 3)])).toThrow(/no answer tokens/);
  });

  test('a step is split into one-example micro-batches, padded to one of a few lengths', () => {
    const long = tokenizedExample([1], Array.from({ length: 70 }, (_, i) => i + 1), 100);
    expect(stepBatches([example, long]).map((b) => [b.size, b.length])).toEqual([[1, 64], [1, 128]]);
    // 64 × {1, 2, 3, 4, 6, 8, 12, …}: the sample wiki's RAFT chats (505-1,100 tokens) use four lengths.
    expect([1, 65, 129, 200, 385, 505, 734, 1100, 2049].map(paddedLength)).toEqual([64, 128, 192, 256, 512, 512, 768, 1536, 3072]);
  });
});

describe('PEFT adapter files', () => {
  test('safetensors round trip, data 8-byte aligned', () => {
    const bytes = writeSafetensors([{ name: 'x', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }], { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    expect(Array.from(readSafetensors(bytes).get('x')!.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("PEFT's names and orientation: lora_A [r, in], lora_B [out, r]", () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // [in 3, r 2]
    const b = Float32Array.from([7, 8, 9, 10]); // [r 2, out 2]
    const tensors = readSafetensors(peftAdapterWeights([{ gate_proj: { a, b, inDim: 3, outDim: 2 } }], 2));
    const loraA = tensors.get('base_model.model.model.layers.0.mlp.gate_proj.lora_A.weight')!;
    expect(loraA.shape).toEqual([2, 3]);
    expect(Array.from(loraA.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(tensors.get(peftKey(0, 'gate_proj', 'B'))!.data)).toEqual([7, 9, 8, 10]);
    expect(peftAdapterConfig({ rank: 2, alpha: 4, targets: ['q_proj'] }, 'demo-base')).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 4, target_modules: ['q_proj'] });
  });
});
