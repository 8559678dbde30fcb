// Exact search by a flat scan over one contiguous Float32Array: no build step, memory-bound, and
// the engine the app switches to above the voy limit.
import type { VectorHit, VectorIndex } from './types';
import { TopK } from './vector-math';

export class FlatIndex implements VectorIndex {
  readonly engine = 'flat' as const;
  private data: Float32Array;
  private ids: string[] = [];
  private rows = new Map<string, number>();

  constructor(readonly dim: number, capacity = 1024) {
    this.data = new Float32Array(dim * capacity);
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
      this.data.set(vectors.subarray(i * this.dim, (i + 1) * this.dim), row * this.dim);
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
    const { dim, data } = this;
    const top = new TopK(Math.min(k, this.ids.length));
    for (let row = 0, offset = 0; row < this.ids.length; row++, offset += dim) {
      let score = 0;
      for (let j = 0; j < dim; j++) score += query[j] * data[offset + j];
      if (top.admits(score)) top.push(this.ids[row], score);
    }
    return top.result();
  }

  private reserve(rows: number): void {
    if (rows * this.dim <= this.data.length) return;
    const grown = new Float32Array(Math.max(rows, (this.data.length / this.dim) * 2) * this.dim);
    grown.set(this.data.subarray(0, this.ids.length * this.dim));
    this.data = grown;
  }
}
