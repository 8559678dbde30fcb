// Benchmark corpora from the synthetic wiki the tests use: markdown of a given size, and plain
// ~200-word chunk texts for the lexical index.
import { syntheticWiki, type SyntheticFile } from '../../tests/support/synthetic-wiki';
import { createRng } from '../../src/lib/core/rng';

const WORDS_PER_ARTICLE = 950;

/** Synthetic wiki articles totalling at least `bytes` of UTF-8 markdown. */
export function wikiOfBytes(bytes: number, seed = 1): { files: SyntheticFile[]; bytes: number } {
  const sample = syntheticWiki(20, WORDS_PER_ARTICLE, seed);
  const average = sample.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / sample.length;
  const files = syntheticWiki(Math.ceil((bytes / average) * 1.02), WORDS_PER_ARTICLE, seed);
  return { files, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) };
}

/** `count` chunk texts of about `words` words each, cut from synthetic wiki articles. */
export function chunkTexts(count: number, words = 200, seed = 1): string[] {
  const out: string[] = [];
  const perArticle = Math.floor(WORDS_PER_ARTICLE / words) || 1;
  const files = syntheticWiki(Math.ceil(count / perArticle) + 1, WORDS_PER_ARTICLE, seed);
  for (const file of files) {
    const all = file.text.split(/\s+/);
    for (let start = 0; start + words <= all.length && out.length < count; start += words) out.push(all.slice(start, start + words).join(' '));
    if (out.length >= count) break;
  }
  return out;
}

/** `count` question-like queries: a few consecutive words of random chunks. */
export function queriesFrom(texts: readonly string[], count: number, seed = 2): string[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const words = texts[rng.int(texts.length)].split(' ');
    const start = rng.int(Math.max(1, words.length - 6));
    return words.slice(start, start + 6).join(' ');
  });
}
