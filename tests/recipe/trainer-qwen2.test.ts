// The trainer reads a Qwen2 model too (the other family the recipe exports): a tiny random Qwen2ForCausalLM
// (grouped-query attention and the q/k/v biases Llama lacks, weights at std 0.1), exported by
// recipes/export_onnx.py, gives in the trainer's forward pass the logits PyTorch gives. Needs the recipe venv (see
// recipe.test.ts); skipped, with the reason, without it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { init, numpy as np } from '@jax-js/jax';
import { afterAll, expect, test } from 'vitest';
import { readOnnxGraph } from '../../src/lib/core/onnx/onnx-graph';
import { decoderConfig, decoderWeights } from '../../src/lib/core/train/decoder-weights';
import { frozenParams, logits, ropeTables } from '../../src/lib/workers/train/llama-lora';

const ROOT = resolve(import.meta.dirname, '../..');
const GIVEN = process.env.RAFT_RECIPE_PYTHON;
const PYTHON = GIVEN ? (existsSync(join(GIVEN, 'bin/python')) ? join(GIVEN, 'bin/python') : GIVEN) : join(ROOT, 'node_modules/.cache/raft-recipe-venv/bin/python');
const ENV = { ...process.env, PYTHONWARNINGS: 'ignore', HF_HUB_OFFLINE: '1', TRANSFORMERS_VERBOSITY: 'error', TOKENIZERS_PARALLELISM: 'false' };
const IDS = [1, 5, 300, 42, 1024, 7, 99, 1500, 3, 260, 12, 600];
let work: string | undefined;

/** A tiny Qwen2 with the tiny Llama's tokenizer, saved to argv[2]; prints its logits for argv[3] (JSON ids). */
const MAKE_QWEN2 = `
import json, shutil, sys, torch
from pathlib import Path
from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM
llama, out, ids = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
torch.manual_seed(3)
tokenizer = AutoTokenizer.from_pretrained(llama)
config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                     num_key_value_heads=2, max_position_embeddings=512, initializer_range=0.1, tie_word_embeddings=False,
                     bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
model = Qwen2ForCausalLM(config)
with torch.no_grad():
    for layer in model.model.layers:
        for proj in (layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj):
            proj.bias.normal_(0, 0.1)
model.save_pretrained(out)
for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
    if (llama / name).exists(): shutil.copy(llama / name, out / name)
with torch.no_grad():
    print(json.dumps(model(torch.tensor([ids])).logits[0].flatten().tolist()))
`;

function run(command: string, args: string[]): Promise<{ code: number; output: string; stdout: string }> {
  return new Promise((done) =>
    execFile(command, args, { cwd: ROOT, env: ENV, timeout: 300_000, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr, stdout }),
    ),
  );
}

afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

test("a Qwen2 model's logits in the trainer's forward pass match PyTorch's", async (ctx) => {
  const probe = existsSync(PYTHON) ? await run(PYTHON, ['-c', 'import torch, transformers, onnx, onnxruntime, tokenizers']) : { code: 1, output: `${PYTHON} not found`, stdout: '' };
  if (probe.code !== 0) {
    const reason = `no Python with torch, transformers, onnx (${probe.output.trim().split('\n').at(-1)}); set RAFT_RECIPE_PYTHON or run recipe.test.ts once to create the venv`;
    console.warn(`SKIPPED the Qwen2 trainer test: ${reason}`);
    ctx.skip(reason);
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'raft-qwen2-'));
  const llama = await run(PYTHON, ['recipes/make_tiny_base.py', '--out', join(work, 'llama')]);
  expect(llama.code, llama.output).toBe(0);
  const made = await run(PYTHON, ['-c', MAKE_QWEN2, join(work, 'llama'), join(work, 'qwen2'), JSON.stringify(IDS)]);
  expect(made.code, made.output).toBe(0);
  const expected = JSON.parse(made.stdout.trim().split('\n').at(-1)!) as number[];
  const exported = await run(PYTHON, ['recipes/export_onnx.py', '--model', join(work, 'qwen2'), '--out', join(work, 'onnx')]);
  expect(exported.code, exported.output).toBe(0);

  await init('wasm');
  const config = decoderConfig(JSON.parse(await readFile(join(work, 'onnx/config.json'), 'utf8')));
  expect(config.modelType).toBe('qwen2');
  const weights = decoderWeights(readOnnxGraph(await readFile(join(work, 'onnx/onnx/model.onnx'))), config);
  expect(weights.layers[0].proj.q_proj.bias).toHaveLength(64);
  const T = IDS.length;
  const { cos, sin } = ropeTables(config, T);
  const batch = {
    ids: np.array(Int32Array.from(IDS), { dtype: np.int32 }).reshape([1, T]),
    targets: np.zeros([1, T], { dtype: np.int32 }),
    weights: np.zeros([1, T]),
    mask: np.array(new Float32Array(T * T).map((_, k) => (k % T <= Math.floor(k / T) ? 0 : -1e9))).reshape([1, 1, 1, T, T]),
    cos: np.array(cos).reshape([T, config.headDim]),
    sin: np.array(sin).reshape([T, config.headDim]),
  };
  const actual = (await logits({ layers: weights.layers.map(() => ({})) }, frozenParams(weights), batch, config, 1).data()) as Float32Array;
  const scale = Math.max(...expected.map(Math.abs));
  const worst = Math.max(...Array.from(actual, (v, i) => Math.abs(v - expected[i])));
  expect(worst / scale).toBeLessThan(1e-4);
}, 300_000);
