// Browser-test commands that run in Node: browser tests compare their results with these.
// NOTE: imports are static: the config's module runner is closed by the time a command runs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserCommand } from 'vitest/node';
import { readModelFolder } from '../../src/cli/model-folder';
import { EmbedderClient } from '../../src/lib/clients/embedder';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { createEmbedHandlers } from '../../src/lib/workers/embed/handler';

const ROOT = resolve(import.meta.dirname, '../..');

/** Embeds `texts` with the tiny embedder in Node, through the same handler and loading path as the app. */
export const nodeEmbed: BrowserCommand<[model: string, texts: string[]]> = async (_context, model, texts) => {
  const { endpoint, close } = inProcessEndpoint(createEmbedHandlers({ allowHub: false }));
  const embedder = new EmbedderClient(endpoint, close);
  try {
    await embedder.load(await readModelFolder(join(ROOT, 'tests/models', model)), { device: 'wasm', dtype: 'fp32' });
    const { dim, vectors } = await embedder.embed(texts);
    return { dim, vectors: Array.from(vectors) };
  } finally {
    embedder.terminate();
  }
};

/** Runs the CLI's `build` in a child process and returns the files it wrote. */
export const cliBuild: BrowserCommand<[args: string[]]> = async (_context, args) => {
  const out = await mkdtemp(join(tmpdir(), 'raft-cli-'));
  await new Promise<void>((done, fail) =>
    execFile('npm', ['run', '--silent', 'raft', '--', 'build', ...args, '--out', out], { cwd: ROOT }, (error, _stdout, stderr) =>
      error ? fail(new Error(`raft build failed: ${stderr}`)) : done(),
    ),
  );
  const read = (name: string) => readFile(join(out, name), 'utf8');
  return { 'train.jsonl': await read('train.jsonl'), 'test.jsonl': await read('test.jsonl'), 'manifest.json': await read('manifest.json') };
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEmbed(model: string, texts: string[]): Promise<{ dim: number; vectors: number[] }>;
    cliBuild(args: string[]): Promise<Record<'train.jsonl' | 'test.jsonl' | 'manifest.json', string>>;
  }
}
