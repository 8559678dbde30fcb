// Lexical and hybrid retrieval: BM25 index build and query latency at 10k/100k chunks of ~200 words,
// and the overhead of fusing two top-50 lists with reciprocal-rank fusion.
import { Bm25Index } from '../../src/lib/core/retrieval/bm25';
import { reciprocalRankFusion } from '../../src/lib/core/retrieval/fusion';
import type { SearchHit } from '../../src/lib/core/retrieval/types';
import type { BenchContext } from '../context';
import { figure, measure, percentile, scale, summarize, type Figure, type Stat } from '../harness';
import { chunkTexts, queriesFrom } from '../support/corpus';

const VOCABULARY_NOTE = 'synthetic wiki: ~100-word vocabulary, so each term’s postings cover most chunks (a worst case)';
const FUSION_CALLS = 1000;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const sizes = ctx.quick ? [10_000] : [10_000, 100_000];
  const figures: Figure[] = [];
  let fusion: Stat | null = null;
  for (const n of sizes) {
    const label = `${n / 1000}k chunks`;
    ctx.log(`${label}: generating text`);
    const texts = chunkTexts(n);
    const ids = texts.map((_, i) => `c_${i}`);
    const build = () => {
      const index = new Bm25Index();
      texts.forEach((text, i) => index.add(ids[i], text));
      return index;
    };
    // 1. Index build (the last one built answers the queries); no warm-up at 100k, it takes seconds.
    ctx.log(`${label}: building`);
    const large = n >= 100_000;
    if (!large) build();
    const buildTimes: number[] = [];
    let index = new Bm25Index();
    for (let r = 0; r < (ctx.quick || large ? 1 : 3); r++) {
      const start = performance.now();
      index = build();
      buildTimes.push(performance.now() - start);
    }
    figures.push(figure(`BM25 build, ${label}`, 'ms', summarize(buildTimes)));
    // 2. Query latency, one sample per query.
    const queries = queriesFrom(texts, ctx.quick ? 50 : 200);
    for (const q of queries.slice(0, 5)) index.search(q, 10);
    const samples = queries.map((q) => {
      const start = performance.now();
      index.search(q, 10);
      return performance.now() - start;
    });
    const p50 = percentile(samples, 50);
    figures.push({ ...figure(`BM25 query (top 10), ${label}`, 'ms', summarize(samples), { note: VOCABULARY_NOTE }), p95: percentile(samples, 95) });
    // 3. Hybrid: the lexical top 50 fused with a dense top 50 (spread-out chunk ids stand in for the vector engine).
    if (!fusion) {
      const lexical: SearchHit[] = index.search(queries[0], 50);
      const dense = Array.from({ length: 50 }, (_, i) => ({ chunkId: ids[(i * 7919) % n] }));
      const perBatch = await measure(() => {
        for (let i = 0; i < FUSION_CALLS; i++) reciprocalRankFusion([lexical, dense], 50);
      }, { warmup: 1, repeats: ctx.quick ? 3 : 7 });
      fusion = scale(perBatch, 1000 / FUSION_CALLS);
      figures.push(figure('hybrid fusion (RRF of two top-50 lists)', 'µs', fusion));
    }
    figures.push(figure(`hybrid fusion overhead ÷ BM25 query, ${label}`, '%', scale(fusion, 0.1 / p50)));
  }
  return figures;
}
