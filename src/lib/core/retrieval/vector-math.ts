// Small vector kernels and an exact top-k selection used by every engine.
import type { VectorHit } from './types';

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[bOffset + i];
  return sum;
}

/** Scales `v` to unit length in place (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/**
 * Keeps the k best (highest score) of a stream: a min-heap of size k, O(n log k).
 * Ties break by id so every engine orders equal scores the same way.
 */
export class TopK {
  private readonly scores: number[] = [];
  private readonly ids: string[] = [];
  constructor(private readonly k: number) {}

  /** Whether `score` would enter the current top k (cheap pre-check before building an id). */
  admits(score: number): boolean {
    return this.k > 0 && (this.scores.length < this.k || score > this.scores[0]);
  }

  push(id: string, score: number): void {
    if (this.k <= 0) return;
    if (this.scores.length < this.k) {
      this.scores.push(score);
      this.ids.push(id);
      this.up(this.scores.length - 1);
    } else if (this.better(score, id, this.scores[0], this.ids[0])) {
      this.scores[0] = score;
      this.ids[0] = id;
      this.down(0);
    }
  }

  /** Best first. */
  result(): VectorHit[] {
    return this.ids
      .map((id, i) => ({ id, score: this.scores[i] }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private better(sa: number, ia: string, sb: number, ib: string): boolean {
    return sa > sb || (sa === sb && ia < ib);
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(this.scores[p], this.ids[p], this.scores[i], this.ids[i])) break;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < n && this.better(this.scores[worst], this.ids[worst], this.scores[l], this.ids[l])) worst = l;
      if (r < n && this.better(this.scores[worst], this.ids[worst], this.scores[r], this.ids[r])) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
  private swap(a: number, b: number): void {
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
  }
}

/** A compiled WebAssembly SIMD scan over its own memory: `scan` writes `out[row] = data[row] · query` (float32). */
export interface SimdScan {
  memory: WebAssembly.Memory;
  /** Byte offsets into `memory`; `rowBytes` is a multiple of 64 (dim a multiple of 16). */
  scan(data: number, rows: number, rowBytes: number, query: number, out: number): void;
}

let simdModule: WebAssembly.Module | null | undefined;

/**
 * A SIMD scan with a memory of at least `bytes`, or null where WebAssembly SIMD is missing or compiling
 * is not allowed (the caller then scans in JS). The module (about 200 bytes) is compiled once.
 */
export function simdScan(bytes: number): SimdScan | null {
  if (simdModule === undefined) simdModule = compileScan();
  if (!simdModule) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new WebAssembly.Instance(simdModule, { env: { memory } });
  return { memory, scan: instance.exports.scan as SimdScan['scan'] };
}

function compileScan(): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly === 'undefined') return null;
    const bytes = scanModuleBytes();
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    // NOTE: a Content-Security-Policy without 'wasm-unsafe-eval' forbids compiling: the JS scan serves.
    return null;
  }
}

const leb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
};

/**
 * The hand-assembled module: imports `env.memory`, exports `scan(data, rows, rowBytes, query, out)`.
 * Per row, four f32x4 accumulators take 64 bytes a step, then sum horizontally into `out[row]`.
 */
function scanModuleBytes(): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  const name = (text: string) => [text.length, ...[...text].map((c) => c.charCodeAt(0))];
  const [I32, V128, GET, SET, TEE] = [0x7f, 0x7b, 0x20, 0x21, 0x22];
  const [I32_ADD, I32_MUL, I32_GE_U, F32_ADD] = [0x6a, 0x6c, 0x4f, 0x92];
  const ADD64 = [0x41, 0xc0, 0x00, I32_ADD];
  const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
  const BR_IF_OUT = [0x0d, 0x01];
  const LOOP_END = [0x0c, 0x00, 0x0b, 0x0b];
  const load = (offset: number) => [0xfd, 0x00, 0x04, offset];
  const [V_ADD, V_MUL] = [[0xfd, 0xe4, 0x01], [0xfd, 0xe6, 0x01]];
  const V_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const OFFSETS = [0, 16, 32, 48];
  // Locals: 0 data, 1 rows, 2 rowBytes, 3 query, 4 out; 5 rowEnd, 6 q, 7 stop; 8..11 accumulators.
  const horizontal = [
    GET, 8, GET, 9, ...V_ADD, GET, 10, GET, 11, ...V_ADD, ...V_ADD, SET, 8,
    ...[0, 1, 2, 3].flatMap((lane) => [GET, 8, 0xfd, 0x1f, lane, ...(lane % 2 ? [F32_ADD] : [])]),
    F32_ADD,
  ];
  const body = [
    0x02, 0x03, I32, 0x04, V128,
    GET, 0, GET, 1, GET, 2, I32_MUL, I32_ADD, SET, 7,
    ...BLOCK_LOOP,
    GET, 0, GET, 7, I32_GE_U, ...BR_IF_OUT,
    GET, 0, GET, 2, I32_ADD, SET, 5,
    GET, 3, SET, 6,
    ...V_ZERO, TEE, 8, TEE, 9, TEE, 10, SET, 11,
    ...BLOCK_LOOP,
    GET, 0, GET, 5, I32_GE_U, ...BR_IF_OUT,
    ...[8, 9, 10, 11].flatMap((acc, i) => [GET, acc, GET, 0, ...load(OFFSETS[i]), GET, 6, ...load(OFFSETS[i]), ...V_MUL, ...V_ADD, SET, acc]),
    GET, 0, ...ADD64, SET, 0,
    GET, 6, ...ADD64, SET, 6,
    ...LOOP_END,
    GET, 4, ...horizontal, 0x38, 0x02, 0x00, // f32.store
    GET, 4, 0x41, 0x04, I32_ADD, SET, 4,
    ...LOOP_END,
    0x0b,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x05, I32, I32, I32, I32, I32, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('scan'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}
