// Questions: parsing an imported file of 10 MB (JSONL, CSV, JSON) and splitting 10,000 pairs over 500
// articles into train and test by article. Figures only: the unit tests check these give every row
// and a clean split, never how fast.
import { assignSplit, parseImport, type QAPair } from '../../src/lib/core/questions';
import type { BenchContext } from '../context';
import { figure, measure, rate, type Figure } from '../harness';
import { questionFiles, splitPair as pair } from '../../tests/support/question-files';

const MB = 2 ** 20;


export async function run(ctx: BenchContext): Promise<Figure[]> {
  const megabytes = ctx.quick ? 1 : 10;
  const repeats = ctx.quick ? 1 : 5;
  const figures: Figure[] = [];
  // 1. Import: one parse of the whole file per run.
  for (const [format, file] of Object.entries(questionFiles(megabytes * MB))) {
    ctx.log(`${megabytes} MB ${format}: ${file.count} rows`);
    const ms = await measure(() => parseImport(file.text, `big.${format}`), { repeats });
    figures.push(
      figure(`import ${megabytes} MB ${format}`, 'ms', ms, { note: `${file.count} rows` }),
      figure(`import ${format}`, 'MB/s', rate(ms, file.text.length / MB)),
    );
  }
  // 2. Split by article, as "Split" does on the Questions page.
  const pairs = Array.from({ length: 10_000 }, (_, i) => pair(i, `a${(i * 7919) % 500}`));
  const articleOf = (p: QAPair) => p.oracleChunkIds[0].slice(2);
  const ms = await measure(() => assignSplit(pairs, { testFraction: 0.2, seed: 1, byArticle: true, articleOf }), { repeats: ctx.quick ? 3 : 20 });
  figures.push(figure('split 10,000 pairs over 500 articles (by article, 20% test)', 'ms', ms));
  return figures;
}
