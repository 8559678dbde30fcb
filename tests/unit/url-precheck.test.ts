// A model folder on a server: its graph's inputs are read with Range requests before loading only when the
// graph is small enough for that to finish; a real-size one would spend every request and still not know.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { AutoModelForCausalLM } from '@huggingface/transformers';
import { checkFolder } from '../../src/lib/workers/models/checks';
import { mount, mountedId, unmount, urlResolver } from '../../src/lib/workers/models/mounts';

const TINY = resolve(import.meta.dirname, '../models/tiny/llama');
const BASE = 'http://models.test/llama/';

/** A server holding the tiny Llama's files, the ONNX file announced as `onnxSize` bytes; counts Range requests. */
function server(onnxSize?: number) {
  const ranges: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input).slice(BASE.length);
    const bytes = await readFile(resolve(TINY, path)).catch(() => null);
    if (!bytes) return new Response(null, { status: 404 });
    const size = path === 'onnx/model.onnx' && onnxSize ? onnxSize : bytes.length;
    if (init?.method === 'HEAD') return new Response(null, { headers: { 'content-length': String(size) } });
    const range = new Headers(init?.headers).get('range');
    if (!range) return new Response(bytes);
    ranges.push(range);
    const [from, to] = /bytes=(\d+)-(\d+)/.exec(range)!.slice(1).map(Number);
    return new Response(bytes.subarray(from, to + 1), { status: 206, headers: { 'content-range': `bytes ${from}-${to}/${size}` } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, ranges };
}

const source = { kind: 'url' as const, url: BASE };
const id = mountedId(source);
afterEach(() => {
  vi.unstubAllGlobals();
  unmount(id);
});

async function check(onnxSize?: number) {
  const { fetch, ranges } = server(onnxSize);
  vi.stubGlobal('fetch', fetch);
  mount(id, urlResolver(BASE, fetch));
  const facts = await checkFolder(source, { id, base: BASE, task: 'text-generation', dtype: 'fp32', label: 'llama', supports: (t) => AutoModelForCausalLM.supports(t), signal: new AbortController().signal });
  return { facts, ranges };
}

test('a small graph on a server has its inputs read with Range requests before loading', async () => {
  const { ranges } = await check();
  expect(ranges.length).toBeGreaterThan(0);
});

test('a real-size graph on a server gets no Range requests: the loaded session is checked instead', async () => {
  const { facts, ranges } = await check(165_000_000);
  expect(ranges).toEqual([]);
  expect(facts.onnxFiles).toContainEqual({ path: 'onnx/model.onnx', size: 165_000_000 });
});
