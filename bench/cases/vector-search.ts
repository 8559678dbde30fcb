// Vector search: voy and the flat engine (WebAssembly SIMD, and its JS fallback) at 1k/10k/50k/100k
// random unit vectors of 384 dims — query latency, recall@10 against exact brute force, build time,
// memory — and each engine's ratio to the memory-bandwidth limit (bytes scanned per query ÷ the
// bandwidth measured in this process). voy is tried at 100k too; it fails there, which is why the
// app switches to flat above VOY_LIMIT (50k).
import { FlatIndex } from '../../src/lib/core/retrieval/flat-index';
import { VOY_LIMIT } from '../../src/lib/config/tunables';
import { VoyIndex } from '../../src/lib/workers/index/voy-index';
import type { BenchContext } from '../context';
import { figure, measure, percentile, single, summarize, type Figure } from '../harness';
import { measureBandwidth } from '../support/bandwidth';
import { Int8Flat, singleSumScan } from '../support/scan-kernels';
import { exactTopK, randomUnitVectors, recall, rowIds, settledRss } from '../support/vectors';

const DIM = 384;
const K = 10;
const GB = 1e9;
const MB = 2 ** 20;

/** Ids of the top K for a query. */
type Search = (query: Float32Array) => string[];

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const sizes = ctx.quick ? [1_000, 10_000] : [1_000, 10_000, VOY_LIMIT, 100_000];
  const figures: Figure[] = [];
  // 1. The physical limit: how fast this process can stream memory.
  ctx.log('measuring memory bandwidth');
  const bandwidth = measureBandwidth((ctx.quick ? 64 : 256) * MB, ctx.quick ? 3 : 5);
  figures.push(
    figure('memory bandwidth: WASM SIMD sequential sum (best)', 'GB/s', single(bandwidth.simdSum / GB), { note: `${bandwidth.bytes / MB} MB Float32Array; each size below re-measures it the same way for its limit` }),
    figure('memory bandwidth: JS sequential sum (best)', 'GB/s', single(bandwidth.jsSum / GB), { note: 'compute-bound in JS: reference only' }),
    figure('memory bandwidth: native copy, read + write (best)', 'GB/s', single(bandwidth.copy / GB), { note: 'reference only' }),
  );
  for (const n of sizes) figures.push(...(await atSize(ctx, n)));
  return figures;
}

async function atSize(ctx: BenchContext, n: number): Promise<Figure[]> {
  const label = n >= 1000 ? `${n / 1000}k` : String(n);
  const queryCount = ctx.quick ? 20 : n >= 50_000 ? 50 : 100;
  ctx.log(`N=${label}: generating vectors and ground truth`);
  const data = randomUnitVectors(n, DIM, n);
  const queries = Array.from({ length: queryCount }, (_, i) => randomUnitVectors(1, DIM, 1_000_000 + i));
  const ids = rowIds(n);
  const truth = queries.map((q) => exactTopK(data, DIM, q, K).map((row) => ids[row]));
  // NOTE: the machine is shared and its load drifts, so each size's limit uses a bandwidth measured just before its queries.
  const bandwidth = measureBandwidth((ctx.quick ? 64 : 256) * MB, 3).simdSum;
  const limitMs = ((n * DIM * 4) / bandwidth) * 1000;
  const figures: Figure[] = [
    figure(`N=${label}: vector bytes (N×384×4)`, 'MB', single((n * DIM * 4) / MB)),
    figure(`N=${label}: bandwidth limit per query`, 'ms', single(limitMs), { note: `at ${(bandwidth / GB).toFixed(2)} GB/s, measured just before this size` }),
  ];
  const buildRepeats = ctx.quick ? 1 : n >= 50_000 ? 2 : 3;
  const target = n === 100_000 ? { text: '≤ 3× limit at 100k', atMost: 3 } : undefined;

  // 2. The flat engine (the app's FlatIndex).
  ctx.log(`N=${label}: flat`);
  figures.push(figure(`N=${label}: flat build (upsert)`, 'ms', await measure(() => new FlatIndex(DIM).upsert(ids, data), { warmup: 1, repeats: buildRepeats })));
  const rss = await settledRss();
  const flat = new FlatIndex(DIM);
  flat.upsert(ids, data);
  figures.push(figure(`N=${label}: flat RSS delta`, 'MB', single(((await settledRss()) - rss) / MB)));
  const scan = flat.accelerated ? 'WebAssembly SIMD scan, float64 rescoring of the candidates' : 'JS scan (no WebAssembly SIMD here)';
  figures.push(...queryFigures(`N=${label}: flat`, (q) => flat.search(q, K).map((h) => h.id), queries, truth, limitMs, target, scan));
  flat.clear();
  // The app's fallback where WebAssembly SIMD is missing: the JS scan, four rows at a time.
  const js = new FlatIndex(DIM, n, { simd: false });
  js.upsert(ids, data);
  figures.push(...queryFigures(`N=${label}: flat, JS scan (the app's fallback)`, (q) => js.search(q, K).map((h) => h.id), queries, truth, limitMs));
  js.clear();

  // 3. Bench-only experiments (not the app).
  figures.push(
    ...queryFigures(
      `N=${label}: flat, one running sum (the engine before; bench-only)`,
      (q) => singleSumScan(data, DIM, q, K).map((row) => ids[row]),
      queries,
      truth,
      limitMs,
    ),
  );
  const int8 = new Int8Flat(data, DIM);
  figures.push(
    ...queryFigures(
      `N=${label}: int8 flat (bench-only)`,
      (q) => int8.search(q, K).map((row) => ids[row]),
      queries,
      truth,
      limitMs,
      undefined,
      `ratio to the float32 limit; reads ${(int8.bytes / MB).toFixed(1)} MB per query (a quarter)`,
    ),
  );

  // 4. voy (the app's VoyIndex: a WASM k-d tree plus a FlatIndex for scores).
  try {
    figures.push(...(await voyFigures(ctx, label, ids, data, queries, truth, limitMs, ctx.quick || n >= 50_000 ? 1 : 3)));
  } catch (error) {
    const message = (error as Error).message;
    figures.push(figure(`N=${label}: voy build (upsert + tree)`, 'ms', single(NaN), { note: `failed: ${message}; the app switches to flat above ${VOY_LIMIT / 1000}k (VOY_LIMIT)` }));
  }
  return figures;
}

async function voyFigures(
  ctx: BenchContext,
  label: string,
  ids: string[],
  data: Float32Array,
  queries: Float32Array[],
  truth: string[][],
  limitMs: number,
  repeats: number,
): Promise<Figure[]> {
  ctx.log(`N=${label}: voy build`);
  const build = () => {
    const voy = new VoyIndex(DIM);
    voy.upsert(ids, data);
    voy.build();
    return voy;
  };
  const free = (voy: VoyIndex) => {
    voy.clear();
    voy.build();
  };
  // Every build but the last is freed; the last one answers the queries. RSS is read around the
  // first, since wasm memory never shrinks and later builds reuse it.
  const buildTimes: number[] = [];
  let voy: VoyIndex | null = null;
  let rssDelta = 0;
  for (let r = 0; r < repeats; r++) {
    if (voy) free(voy);
    const rss = await settledRss();
    const start = performance.now();
    voy = build();
    buildTimes.push(performance.now() - start);
    if (r === 0) rssDelta = (await settledRss()) - rss;
  }
  const figures = [
    figure(`N=${label}: voy build (upsert + tree)`, 'ms', summarize(buildTimes)),
    figure(`N=${label}: voy RSS delta`, 'MB', single(rssDelta / MB), { note: 'tree in wasm memory plus its FlatIndex copy' }),
  ];
  ctx.log(`N=${label}: voy queries`);
  const index = voy!;
  figures.push(...queryFigures(`N=${label}: voy`, (q) => index.search(q, K).map((h) => h.id), queries, truth, limitMs));
  free(index);
  return figures;
}

/** Latency (p50 as median, p95), recall@10 and ratio to the bandwidth limit of one engine. */
function queryFigures(
  prefix: string,
  search: Search,
  queries: Float32Array[],
  truth: string[][],
  limitMs: number,
  target?: { text: string; atMost: number },
  ratioNote?: string,
): Figure[] {
  for (const q of queries.slice(0, 3)) search(q);
  const samples: number[] = [];
  const recalls: number[] = [];
  queries.forEach((q, i) => {
    const start = performance.now();
    const found = search(q);
    samples.push(performance.now() - start);
    recalls.push(recall(found, truth[i]));
  });
  const latency = { ...figure(`${prefix} query`, 'ms', summarize(samples)), p95: percentile(samples, 95) };
  return [
    latency,
    figure(`${prefix} recall@10`, '', summarize(recalls)),
    figure(`${prefix} ÷ bandwidth limit`, '×', summarize(samples.map((t) => t / limitMs)), { target, note: ratioNote }),
  ];
}
