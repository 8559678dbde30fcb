// Bench-only experiments, not used by the app: a flat scan with one running sum per row (the app's
// FlatIndex kernel before it scanned four rows at a time), and an int8-quantised flat scan.

/** Keeps the k best rows of a stream; a plain sorted insert is cheapest for k ≈ 10. */
class SmallTopK {
  readonly rows: number[] = [];
  readonly scores: number[] = [];
  threshold = -Infinity;
  constructor(private readonly k: number) {}

  push(row: number, score: number): void {
    const { rows, scores, k } = this;
    let at = rows.length === k ? k - 1 : rows.length;
    while (at > 0 && scores[at - 1] < score) {
      scores[at] = scores[at - 1];
      rows[at] = rows[at - 1];
      at--;
    }
    scores[at] = score;
    rows[at] = row;
    if (rows.length === k) this.threshold = scores[k - 1];
  }
}

/** Exact top-k row numbers with one running sum per dot product: the app's flat scan before it had eight. */
export function singleSumScan(data: Float32Array, dim: number, query: Float32Array, k: number): number[] {
  const n = data.length / dim;
  const top = new SmallTopK(k);
  for (let row = 0, offset = 0; row < n; row++, offset += dim) {
    let score = 0;
    for (let j = 0; j < dim; j++) score += query[j] * data[offset + j];
    if (score > top.threshold) top.push(row, score);
  }
  return top.rows;
}

/** Vectors stored as int8 codes with one scale per row: a quarter of the bytes of float32. */
export class Int8Flat {
  readonly codes: Int8Array;
  readonly scales: Float32Array;

  constructor(data: Float32Array, readonly dim: number) {
    const n = data.length / dim;
    this.codes = new Int8Array(data.length);
    this.scales = new Float32Array(n);
    for (let row = 0; row < n; row++) {
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(data[row * dim + j]));
      const scale = max / 127 || 1;
      this.scales[row] = scale;
      for (let j = 0; j < dim; j++) this.codes[row * dim + j] = Math.round(data[row * dim + j] / scale);
    }
  }

  get bytes(): number {
    return this.codes.byteLength + this.scales.byteLength;
  }

  /** Approximate top-k row numbers (float query against int8 rows). */
  search(query: Float32Array, k: number): number[] {
    const { codes, scales, dim } = this;
    const n = scales.length;
    const top = new SmallTopK(k);
    const end = dim - (dim % 8);
    for (let row = 0, offset = 0; row < n; row++, offset += dim) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let j = 0; j < end; j += 8) {
        const o = offset + j;
        s0 += query[j] * codes[o];
        s1 += query[j + 1] * codes[o + 1];
        s2 += query[j + 2] * codes[o + 2];
        s3 += query[j + 3] * codes[o + 3];
        s4 += query[j + 4] * codes[o + 4];
        s5 += query[j + 5] * codes[o + 5];
        s6 += query[j + 6] * codes[o + 6];
        s7 += query[j + 7] * codes[o + 7];
      }
      for (let j = end; j < dim; j++) s0 += query[j] * codes[offset + j];
      const score = (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7) * scales[row];
      if (score > top.threshold) top.push(row, score);
    }
    return top.rows;
  }
}
