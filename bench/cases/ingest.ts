// Ingest: parse + chunk throughput (MB/s of markdown) on a generated ~10 MB wiki, on one thread,
// counting tokens with the model-free approximation and with the embedder's real tokenizer.
import { approximateTokenCount, chunkArticle, type CountTokens } from '../../src/lib/core/chunking';
import { parseArticle } from '../../src/lib/core/markdown';
import { createEmbedHandlers } from '../../src/lib/workers/embed/handler';
import { EmbedService } from '../../src/lib/workers/embed/service';
import type { BenchContext } from '../context';
import { figure, measure, rate, single, type Figure } from '../harness';
import { wikiOfBytes } from '../support/corpus';
import { appModel } from '../support/models';

const MB = 2 ** 20;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const { files, bytes } = wikiOfBytes((ctx.quick ? 2 : 10) * MB);
  const ingest = (countTokens: CountTokens, subset = files) => {
    let chunks = 0;
    for (const file of subset) chunks += chunkArticle(parseArticle(file.path, file.text), {}, countTokens).length;
    return chunks;
  };
  const chunks = ingest(approximateTokenCount);
  const figures: Figure[] = [
    figure('corpus size', 'MB', single(bytes / MB), { note: `${files.length} articles, ${chunks} chunks (200/256/32 tokens)` }),
  ];
  // 1. Model-free token estimate (the default before a model is loaded).
  ctx.log('approximate token count');
  const approximate = await measure(() => ingest(approximateTokenCount), { warmup: 1, repeats: ctx.quick ? 2 : 5 });
  figures.push(figure('parse + chunk, approximateTokenCount', 'MB/s', rate(approximate, bytes / MB), { target: { text: '≥ 5 MB/s', atLeast: 5 } }));
  // 2. The embedder's tokenizer, loaded through the app's embed service.
  ctx.log('loading the embedder for its tokenizer');
  const service = new EmbedService();
  createEmbedHandlers({ allowHub: false }, service);
  const { source, options } = await appModel(ctx.embedderFolder);
  await service.load(source, options);
  const countTokens: CountTokens = (text) => service.countTokens(text);
  // NOTE: the tokenizer is about 5× slower, so --quick runs it on a quarter of the corpus.
  const subset = ctx.quick ? files.slice(0, Math.ceil(files.length / 4)) : files;
  const subsetBytes = subset.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  ingest(countTokens, files.slice(0, 20));
  ctx.log('tokenizer token count');
  const tokenizer = await measure(() => ingest(countTokens, subset), { warmup: 0, repeats: ctx.quick ? 1 : 2 });
  figures.push(
    figure('parse + chunk, embedder tokenizer', 'MB/s', rate(tokenizer, subsetBytes / MB), {
      target: { text: '≥ 5 MB/s', atLeast: 5 },
      note: `tokenizer of ${source.kind === 'files' ? source.name : 'the embedder'}, ${(subsetBytes / MB).toFixed(1)} MB`,
    }),
  );
  return figures;
}
