// Entry point of the tiny-model generator: writes every tiny and broken model
// folder. Run as a script: `npx tsx scripts/tiny-models/generate.ts <outDir>`.

import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEmbedder } from './bert.ts';
import { buildBrokenFolders } from './broken.ts';
import { buildEcho } from './echo.ts';
import { type ModelFolder, writeFolder } from './folder.ts';
import { buildRandomLlama } from './llama.ts';

/** Model ids (relative to `env.localModelPath`) of the generated folders. */
export const TINY_MODEL_IDS = {
  embedder: 'tiny/embedder',
  llama: 'tiny/llama',
  echo: 'tiny/echo',
  missingTokenizer: 'broken/missing-tokenizer',
  corruptOnnx: 'broken/corrupt-onnx',
  unsupportedArch: 'broken/unsupported-arch',
  noKvCache: 'broken/no-kv-cache',
  noChatTemplate: 'broken/no-chat-template',
} as const;

/** Builds every folder in memory, keyed by model id. Deterministic: same bytes on every run. */
export function buildTinyModels(): Map<string, ModelFolder> {
  const embedder = buildEmbedder();
  const llama = buildRandomLlama();
  const echo = buildEcho();
  const broken = buildBrokenFolders(embedder, llama, buildRandomLlama({ cache: false }), echo);
  return new Map([
    [TINY_MODEL_IDS.embedder, embedder],
    [TINY_MODEL_IDS.llama, llama],
    [TINY_MODEL_IDS.echo, echo],
    [TINY_MODEL_IDS.missingTokenizer, broken['missing-tokenizer']],
    [TINY_MODEL_IDS.corruptOnnx, broken['corrupt-onnx']],
    [TINY_MODEL_IDS.unsupportedArch, broken['unsupported-arch']],
    [TINY_MODEL_IDS.noKvCache, broken['no-kv-cache']],
    [TINY_MODEL_IDS.noChatTemplate, broken['no-chat-template']],
  ]);
}

/**
 * Writes the tiny models under `outDir` in the Hub layout transformers.js reads
 * (`<outDir>/<id>/config.json`, `onnx/model.onnx`, …), replacing earlier copies
 * of those folders. Returns the bytes written per model id.
 */
export async function generateTinyModels(outDir: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const [id, folder] of buildTinyModels()) {
    const dir = join(outDir, id);
    // NOTE: remove first so no file from an older generator survives (e.g. a tokenizer.json in missing-tokenizer).
    await rm(dir, { recursive: true, force: true });
    sizes.set(id, await writeFolder(dir, folder));
  }
  return sizes;
}

function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

async function main(): Promise<void> {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('Usage: tsx scripts/tiny-models/generate.ts <outDir>   (e.g. tests/.models)');
    process.exit(2);
  }
  const start = performance.now();
  const sizes = await generateTinyModels(resolve(outDir));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const parts = [...sizes].map(([id, bytes]) => `${id} ${formatKb(bytes)}`).join(', ');
  const ms = (performance.now() - start).toFixed(0);
  console.log(`tiny models → ${outDir}: ${parts}; total ${formatKb(total)} in ${ms} ms`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
