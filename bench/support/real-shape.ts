// Random-weight models of the default models' exact shapes, for `npm run bench -- --real-shape`: built
// once by bench/real-shape/build.py (the recipe's export for the Llama shapes) into a git-ignored cache,
// and reused. Without a Python that has the recipe's packages, the case says so and skips.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SHAPES = {
  'smollm2-135m': 'SmolLM2-135M-Instruct shape (Llama, hidden 576, 30 layers, 9/3 heads, vocab 49152, tied)',
  'smollm2-360m': 'SmolLM2-360M-Instruct shape (Llama, hidden 960, 32 layers, 15/5 heads, vocab 49152, tied)',
  'minilm-l6': 'all-MiniLM-L6-v2 shape (BERT, hidden 384, 6 layers, 12 heads, vocab 30522, mean pooling)',
} as const;
export type Shape = keyof typeof SHAPES;

export const cacheDir = (root: string) => join(root, 'node_modules/.cache/raft-real-shape');

function python(root: string): string {
  const given = process.env.RAFT_RECIPE_PYTHON;
  if (given) return existsSync(join(given, 'bin/python')) ? join(given, 'bin/python') : given;
  return join(root, 'node_modules/.cache/raft-recipe-venv/bin/python');
}

function run(command: string, args: string[], root: string, log: (m: string) => void): Promise<{ code: number | null; tail: string }> {
  return new Promise((done) => {
    const env = { ...process.env, PYTHONWARNINGS: 'ignore', HF_HUB_OFFLINE: '1', TRANSFORMERS_VERBOSITY: 'error', TOKENIZERS_PARALLELISM: 'false' };
    const child = spawn(command, args, { cwd: root, env });
    let tail = '';
    const take = (chunk: Buffer) => {
      tail = (tail + chunk).slice(-2000);
      for (const line of String(chunk).split('\n')) if (/verified|tied|parameters|quantized:|MB$/.test(line)) log(line.trim());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => done({ code: null, tail: String(error) }));
    child.on('close', (code) => done({ code, tail }));
  });
}

/** The model folder of `shape`, built now if not cached; or why it cannot be built here. */
export async function realShapeModel(root: string, shape: Shape, log: (m: string) => void): Promise<{ folder: string } | { skip: string }> {
  const folder = join(cacheDir(root), shape);
  if (existsSync(join(folder, '.built'))) return { folder };
  const py = python(root);
  const probe = existsSync(py) ? await run(py, ['-c', 'import torch, transformers, onnx, onnxruntime, tokenizers'], root, () => {}) : { code: 1, tail: `${py} not found` };
  if (probe.code !== 0) {
    return { skip: `no Python with torch, transformers, onnx, onnxruntime to build the ${shape} model (${probe.tail.trim().split('\n').at(-1)}); set RAFT_RECIPE_PYTHON or create the recipe venv (recipes/setup_venv.sh)` };
  }
  log(`building ${SHAPES[shape]} into ${folder} (minutes, once)`);
  const built = await run(py, ['bench/real-shape/build.py', '--shape', shape, '--out', folder], root, log);
  if (built.code !== 0) throw new Error(`building the ${shape} model failed (exit ${built.code}):\n${built.tail}`);
  return { folder };
}
