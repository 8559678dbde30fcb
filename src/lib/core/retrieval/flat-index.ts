// Exact search by a flat scan over one contiguous Float32Array: no build step, memory-bound, and
// the engine the app switches to above the voy limit. Where WebAssembly SIMD is available and the
// dimension is a multiple of 16, the vectors live in a wasm memory and a SIMD scan scores every row in
// float32 at about the machine's memory bandwidth; the rows that can still be in the top k are then
// rescored in float64 exactly as the JS scan scores them, so both give the same hits and scores.
import type { VectorHit, VectorIndex } from './types';
import { simdScan, TopK, type SimdScan } from './vector-math';

/** Relative rounding error of one float32 operation. */
const F32_EPSILON = 2 ** -24;
const align64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

interface SimdStorage {
  scan: SimdScan;
  /** Byte offsets in the wasm memory: float32 scores (one per row), the query, then the vectors. */
  scoresAt: number;
  queryAt: number;
  dataAt: number;
  scores: Float32Array;
  query: Float32Array;
}

export class FlatIndex implements VectorIndex {
  readonly engine = 'flat' as const;
  private data = new Float32Array(0);
  private simd: SimdStorage | null = null;
  private capacity = 0;
  private ids: string[] = [];
  private rows = new Map<string, number>();
  /** Largest norm of a vector stored since the last clear: bounds the float32 scan's error. */
  private maxNorm = 0;
  private readonly wantsSimd: boolean;

  /** `simd: false` keeps the JS scan (the fallback where WebAssembly SIMD is missing), e.g. to compare the two. */
  constructor(readonly dim: number, capacity = 1024, options: { simd?: boolean } = {}) {
    this.wantsSimd = (options.simd ?? true) && dim % 16 === 0;
    this.allocate(Math.max(1, capacity));
  }

  /** Whether searches run the WebAssembly SIMD scan. */
  get accelerated(): boolean {
    return this.simd !== null;
  }

  get size(): number {
    return this.ids.length;
  }

  upsert(ids: string[], vectors: Float32Array): void {
    if (vectors.length !== ids.length * this.dim) throw new Error(`Expected ${ids.length}×${this.dim} values, got ${vectors.length}.`);
    this.reserve(this.ids.length + ids.length);
    ids.forEach((id, i) => {
      let row = this.rows.get(id);
      if (row === undefined) {
        row = this.ids.length;
        this.ids.push(id);
        this.rows.set(id, row);
      }
      const vector = vectors.subarray(i * this.dim, (i + 1) * this.dim);
      this.data.set(vector, row * this.dim);
      let norm = 0;
      for (let j = 0; j < vector.length; j++) norm += vector[j] * vector[j];
      this.maxNorm = Math.max(this.maxNorm, Math.sqrt(norm));
    });
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row === undefined) continue;
      // Move the last row into the hole so the data stays contiguous.
      const last = this.ids.length - 1;
      if (row !== last) {
        const lastId = this.ids[last];
        this.data.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
        this.ids[row] = lastId;
        this.rows.set(lastId, row);
      }
      this.ids.pop();
      this.rows.delete(id);
    }
  }

  clear(): void {
    this.ids = [];
    this.rows.clear();
    this.maxNorm = 0;
  }

  /** The stored vector of `id` (a view, not a copy), or undefined. */
  vector(id: string): Float32Array | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** Every id with a view of its vector, in storage order. */
  entries(): [string, Float32Array][] {
    return this.ids.map((id, row) => [id, this.data.subarray(row * this.dim, (row + 1) * this.dim)]);
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const top = new TopK(Math.min(k, this.ids.length));
    if (this.ids.length === 0 || k <= 0) return [];
    if (this.simd) this.searchSimd(this.simd, query, Math.min(k, this.ids.length), top);
    else scanRows(query, this.data, this.dim, this.ids, top);
    return top.result();
  }

  /**
   * 1. SIMD: every row's float32 score. 2. The k-th best of those, less twice the float32 error bound,
   * is a threshold no row of the exact top k can fall below. 3. Those rows are rescored in float64.
   */
  private searchSimd(simd: SimdStorage, query: Float32Array, k: number, top: TopK): void {
    const { dim, data, ids } = this;
    const n = ids.length;
    simd.query.set(query);
    simd.scan.scan(simd.dataAt, n, dim * 4, simd.queryAt, simd.scoresAt);
    const scores = simd.scores;
    const best: number[] = [];
    for (let row = 0; row < n; row++) {
      const score = scores[row];
      if (best.length === k && !(score > best[k - 1])) continue;
      let at = best.length === k ? k - 1 : best.length;
      while (at > 0 && best[at - 1] < score) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = score;
    }
    let queryNorm = 0;
    for (let j = 0; j < dim; j++) queryNorm += query[j] * query[j];
    // NOTE: |float32 dot − exact| ≤ (terms + additions) · ε · |q| · |x|; the sums run four lanes by four accumulators.
    const margin = (dim + 16) * F32_EPSILON * Math.sqrt(queryNorm) * this.maxNorm;
    const threshold = best[k - 1] - 2 * margin;
    for (let row = 0; row < n; row++) {
      if (!(scores[row] >= threshold)) continue;
      const score = rowScore(query, data, row * dim, dim);
      if (top.admits(score)) top.push(ids[row], score);
    }
  }

  private reserve(rows: number): void {
    if (rows > this.capacity) this.allocate(Math.max(rows, this.capacity * 2));
  }

  /** New storage of `capacity` rows holding the current vectors: a wasm memory when SIMD is wanted and available. */
  private allocate(capacity: number): void {
    const current = this.data.subarray(0, this.ids.length * this.dim);
    const queryAt = align64(capacity * 4);
    const dataAt = queryAt + align64(this.dim * 4);
    const scan = this.wantsSimd ? simdScan(dataAt + capacity * this.dim * 4) : null;
    if (scan) {
      const buffer = scan.memory.buffer;
      this.simd = { scan, scoresAt: 0, queryAt, dataAt, scores: new Float32Array(buffer, 0, capacity), query: new Float32Array(buffer, queryAt, this.dim) };
      this.data = new Float32Array(buffer, dataAt, capacity * this.dim);
    } else {
      this.simd = null;
      this.data = new Float32Array(capacity * this.dim);
    }
    this.data.set(current);
    this.capacity = capacity;
  }
}

/** One row's score: even and odd terms summed apart, as scanRows sums them. */
function rowScore(query: Float32Array, data: Float32Array, offset: number, dim: number): number {
  const even = dim - (dim % 2);
  let s0 = 0;
  let s1 = 0;
  for (let j = 0; j < even; j += 2) {
    s0 += query[j] * data[offset + j];
    s1 += query[j + 1] * data[offset + j + 1];
  }
  if (even < dim) s0 += query[even] * data[offset + even];
  return s0 + s1;
}

/**
 * The JS scan. NOTE: four rows at a time share each query load and keep eight sums in flight: about
 * 1.9× the speed of one row with one running sum (bench/cases/vector-search.ts).
 */
function scanRows(query: Float32Array, data: Float32Array, dim: number, ids: string[], top: TopK): void {
  const n = ids.length;
  const even = dim - (dim % 2);
  const last = even < dim ? query[even] : 0;
  let row = 0;
  for (; row + 4 <= n; row += 4) {
    const oa = row * dim;
    const ob = oa + dim;
    const oc = ob + dim;
    const od = oc + dim;
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0;
    for (let j = 0; j < even; j += 2) {
      const q0 = query[j];
      const q1 = query[j + 1];
      a0 += q0 * data[oa + j];
      a1 += q1 * data[oa + j + 1];
      b0 += q0 * data[ob + j];
      b1 += q1 * data[ob + j + 1];
      c0 += q0 * data[oc + j];
      c1 += q1 * data[oc + j + 1];
      d0 += q0 * data[od + j];
      d1 += q1 * data[od + j + 1];
    }
    if (even < dim) {
      a0 += last * data[oa + even];
      b0 += last * data[ob + even];
      c0 += last * data[oc + even];
      d0 += last * data[od + even];
    }
    const sa = a0 + a1;
    const sb = b0 + b1;
    const sc = c0 + c1;
    const sd = d0 + d1;
    if (top.admits(sa)) top.push(ids[row], sa);
    if (top.admits(sb)) top.push(ids[row + 1], sb);
    if (top.admits(sc)) top.push(ids[row + 2], sc);
    if (top.admits(sd)) top.push(ids[row + 3], sd);
  }
  for (; row < n; row++) {
    const score = rowScore(query, data, row * dim, dim);
    if (top.admits(score)) top.push(ids[row], score);
  }
}
