// Bench-only, hand-assembled WebAssembly SIMD sequential sum (four f32x4 accumulators, 64 bytes per
// step): the fastest read this engine can do, so its rate is the streaming read bandwidth. (The app's
// dot-product scan, which the flat engine runs, is src/lib/core/retrieval/scan.wat, compiled by `npm run wasm`.)

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const name = (text: string) => [text.length, ...[...text].map((c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const GET = 0x20;
const SET = 0x21;
const I32_ADD = 0x6a;
const I32_GE_U = 0x4f;
const F32_ADD = 0x92;
const ADD64 = [0x41, 0xc0, 0x00, I32_ADD]; // i32.const 64; i32.add
const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
const BR_IF_OUT = [0x0d, 0x01];
const LOOP_END = [0x0c, 0x00, 0x0b, 0x0b];
const V_LOAD = (offset: number) => [0xfd, 0x00, 0x04, offset];
const V_ADD = [0xfd, 0xe4, 0x01];
const OFFSETS = [0, 16, 32, 48];

/** Sums four v128 locals into the f32 on top of the stack (clobbers `first`). */
const horizontal = (first: number) => [
  GET, first, GET, first + 1, ...V_ADD, GET, first + 2, GET, first + 3, ...V_ADD, ...V_ADD, SET, first,
  ...[0, 1, 2, 3].flatMap((lane) => [GET, first, 0xfd, 0x1f, lane, ...(lane % 2 ? [F32_ADD] : [])]),
  F32_ADD,
];

/** sum(p, end) → f32: locals 2..5 are the accumulators. */
const SUM_BODY = [
  0x01, 0x04, V128,
  ...BLOCK_LOOP,
  GET, 0, GET, 1, I32_GE_U, ...BR_IF_OUT,
  ...[2, 3, 4, 5].flatMap((acc, i) => [GET, acc, GET, 0, ...V_LOAD(OFFSETS[i]), ...V_ADD, SET, acc]),
  GET, 0, ...ADD64, SET, 0,
  ...LOOP_END,
  ...horizontal(2),
  0x0b,
];

function instantiate(bytes: number): { memory: WebAssembly.Memory; sum: (p: number, end: number) => number } {
  const module = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x02, I32, I32, 0x01, F32]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, ...leb(Math.ceil(bytes / 65536))]),
    ...section(7, [0x02, ...name('mem'), 0x02, 0x00, ...name('sum'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(SUM_BODY.length), ...SUM_BODY]),
  ]);
  const exports = new WebAssembly.Instance(new WebAssembly.Module(module)).exports as Record<string, unknown>;
  return { memory: exports.mem as WebAssembly.Memory, sum: exports.sum as (p: number, end: number) => number };
}

/** A wasm memory of `bytes` bytes (the caller fills `view`) and a SIMD sum over all of it. */
export function wasmSum(bytes: number): { view: Float32Array; sum: () => number } {
  const length = bytes - (bytes % 64);
  const { memory, sum } = instantiate(length);
  return { view: new Float32Array(memory.buffer, 0, length / 4), sum: () => sum(0, length) };
}
