// Browser-test commands that run in Node: browser tests compare their results with these.
// NOTE: imports are static: the config's module runner is closed by the time a command runs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserCommand } from 'vitest/node';
import type { SearchHit } from '../../src/lib/core/retrieval/types';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Indexes `articles` with a test model in Node, through the corpus handlers the app's worker runs (in a child
 * process: node-dense-search.ts), and returns the dense hits of `query` with their scores and the vectors' dimension.
 */
export const nodeDenseSearch: BrowserCommand<[model: string, articles: { path: string; text: string }[], query: string]> = (_context, model, articles, query) =>
  new Promise((done, fail) => {
    const args = ['--experimental-wasm-modules', '--no-warnings=ExperimentalWarning', '--import', 'tsx', 'tests/support/node-dense-search.ts'];
    const child = execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 2 ** 24 }, (error, stdout, stderr) =>
      error ? fail(new Error(`node-dense-search failed: ${stderr}`)) : done(JSON.parse(stdout)),
    );
    child.stdin?.end(JSON.stringify({ model, articles, query }));
  });

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
    nodeDenseSearch(model: string, articles: { path: string; text: string }[], query: string): Promise<{ dim: number; hits: Pick<SearchHit, 'chunkId' | 'score'>[] }>;
    cliBuild(args: string[]): Promise<Record<'train.jsonl' | 'test.jsonl' | 'manifest.json', string>>;
  }
}
