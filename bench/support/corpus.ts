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

const SYLLABLES = ['ka', 're', 'mo', 'lin', 'tor', 'sa', 've', 'qu', 'dan', 'pri', 'el', 'os', 'tu', 'ber', 'nix', 'al', 'gor', 'fe', 'wi', 'zo'];

/**
 * Markdown articles of pseudo-words drawn from a Zipf distribution over `vocabulary` distinct words
 * (as word frequencies in real prose fall off), totalling at least `bytes`: unlike the synthetic wiki
 * (about a hundred distinct words), most words here are rare, so per-word caches miss often.
 */
export function zipfWiki(bytes: number, vocabulary = 50_000, seed = 3): { files: SyntheticFile[]; bytes: number } {
  const rng = createRng(seed);
  const words = Array.from({ length: vocabulary }, (_, i) => {
    let word = '';
    for (let x = i + 1; x > 0; x = Math.floor(x / SYLLABLES.length)) word += SYLLABLES[x % SYLLABLES.length];
    return word;
  });
  const cdf = new Float64Array(vocabulary);
  let total = 0;
  for (let i = 0; i < vocabulary; i++) cdf[i] = total += 1 / (i + 1);
  const pick = () => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = vocabulary - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
  const sentence = () => {
    const n = 8 + rng.int(14);
    const picked = Array.from({ length: n }, pick);
    if (rng.next() < 0.3) picked[2] += ',';
    return picked.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  };
  const files: SyntheticFile[] = [];
  let size = 0;
  while (size < bytes) {
    const parts = [`# ${pick()} ${pick()} ${files.length + 1}`];
    for (let s = 0; s < 6; s++) parts.push(`## ${pick()} ${s + 1}`, Array.from({ length: 3 + rng.int(4) }, sentence).join(' '));
    const text = parts.join('\n\n') + '\n';
    files.push({ path: `zipf/article-${files.length + 1}.md`, text });
    size += Buffer.byteLength(text);
  }
  return { files, bytes: size };
}
