// Ingest: parse + chunk throughput (MB/s of markdown) on a generated ~10 MB wiki, on one thread,
// counting tokens with the model-free approximation and with the embedder's real tokenizer — through
// the corpus worker's embedder, as the corpus chunks with it (each distinct word tokenised once where
// counts add up over words) and, as
// the baseline in the same process, one plain tokenizer call per string. A Zipf-vocabulary corpus
// shows the word cache when most words are rare.
import { approximateTokenCount, chunkArticle, type CountTokens } from '../../src/lib/core/chunking';
import { countsAddUpOverWords, exactTokenCounter } from '../../src/lib/core/chunking/word-counter';
import { parseArticle } from '../../src/lib/core/markdown';
import { EmbedService } from '../../src/lib/workers/corpus/embedder';
import { configureTransformers } from '../../src/lib/workers/models/transformers-env';
import type { BenchContext } from '../context';
import { figure, measure, rate, single, type Figure } from '../harness';
import { wikiOfBytes, zipfWiki } from '../support/corpus';
import { appModel } from '../support/models';

const MB = 2 ** 20;
type Files = { path: string; text: string }[];

const bytesOf = (files: Files) => files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

function ingest(files: Files, countTokens: CountTokens): number {
  let chunks = 0;
  for (const file of files) chunks += chunkArticle(parseArticle(file.path, file.text), {}, countTokens).length;
  return chunks;
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const { files, bytes } = wikiOfBytes((ctx.quick ? 2 : 10) * MB);
  const chunks = ingest(files, approximateTokenCount);
  const figures: Figure[] = [
    figure('corpus size', 'MB', single(bytes / MB), { note: `${files.length} articles, ${chunks} chunks (200/256/32 tokens); synthetic wiki, ~100-word vocabulary` }),
  ];
  const target = { text: '≥ 5 MB/s', atLeast: 5 };
  // 1. Model-free token estimate (the default before a model is loaded).
  ctx.log('approximate token count');
  const approximate = await measure(() => ingest(files, approximateTokenCount), { warmup: 1, repeats: ctx.quick ? 2 : 5 });
  figures.push(figure('parse + chunk, approximateTokenCount', 'MB/s', rate(approximate, bytes / MB), { target }));

  // 2. The embedder's tokenizer, loaded as the corpus worker loads it (its handlers configure transformers.js so).
  ctx.log('loading the embedder for its tokenizer');
  configureTransformers({ allowHub: false });
  const service = new EmbedService();
  const { source, options } = await appModel(ctx.embedderFolder);
  await service.load(source, options);
  const name = source.kind === 'files' ? source.name : 'the embedder';
  const tokenizer = (service as unknown as { extractor: { tokenizer: { encode: (t: string, o: object) => unknown[]; _tokenizerJSON?: object } } }).extractor.tokenizer;
  const plain: CountTokens = (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
  const cached = countsAddUpOverWords(tokenizer._tokenizerJSON) ? 'each distinct word tokenised once' : 'counts do not add up over words for this tokenizer: one call per string';
  // NOTE: the plain tokenizer is slow, so it runs on a quarter of the corpus (a tenth in --quick).
  const subset = files.slice(0, Math.ceil(files.length / (ctx.quick ? 10 : 4)));
  const subsetMB = bytesOf(subset) / MB;
  ingest(subset.slice(0, 5), plain);
  ctx.log('tokenizer: the app’s counter (EmbedService.countTokens), then one plain call per string');
  // A fresh service cache per repeat would need a reload; the first, cold pass is the warm-up here.
  const app = await measure(() => ingest(files, (t) => service.countTokens(t)), { warmup: 1, repeats: ctx.quick ? 1 : 3 });
  const baseline = await measure(() => ingest(subset, plain), { warmup: 0, repeats: 1 });
  figures.push(
    figure('parse + chunk, embedder tokenizer', 'MB/s', rate(app, bytes / MB), { target, note: `app path (the corpus worker's EmbedService.countTokens), tokenizer of ${name}: ${cached}; warm cache` }),
    figure('parse + chunk, embedder tokenizer, one plain call per string (before)', 'MB/s', rate(baseline, subsetMB), { note: `${subsetMB.toFixed(1)} MB; the baseline` }),
  );

  // 3. Rare words: a Zipf vocabulary, with a cold cache (a newly loaded model) on the first pass.
  const zipf = zipfWiki((ctx.quick ? 1 : 5) * MB, 50_000);
  const zipfMB = zipf.bytes / MB;
  ctx.log(`Zipf corpus (${zipfMB.toFixed(1)} MB, 50k distinct words): cold, warm, plain`);
  // NOTE: a new counter over the same tokenizer has an empty cache, as EmbedService's has after a load.
  const fresh = exactTokenCounter(tokenizer._tokenizerJSON, plain);
  const coldStart = performance.now();
  ingest(zipf.files, fresh);
  const coldMs = performance.now() - coldStart;
  const warm = await measure(() => ingest(zipf.files, fresh), { warmup: 0, repeats: ctx.quick ? 1 : 2 });
  const zipfSubset = zipf.files.slice(0, Math.ceil(zipf.files.length / (ctx.quick ? 4 : 5)));
  const zipfPlain = await measure(() => ingest(zipfSubset, plain), { warmup: 0, repeats: 1 });
  const note = `${zipfMB.toFixed(1)} MB of pseudo-words, Zipf over 50k distinct words`;
  figures.push(
    figure('Zipf vocabulary: parse + chunk, app counter, cold cache', 'MB/s', rate(single(coldMs), zipfMB), { target, note: `${note}; the first ingest after loading a model` }),
    figure('Zipf vocabulary: parse + chunk, app counter, warm cache', 'MB/s', rate(warm, zipfMB), { note: 're-chunking the same corpus' }),
    figure('Zipf vocabulary: parse + chunk, one plain call per string (before)', 'MB/s', rate(zipfPlain, bytesOf(zipfSubset) / MB)),
  );
  return figures;
}
