import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { describe, expect, test } from 'vitest';
import {
  approximateTokenCount,
  chunkArticle,
  countsAddUpOverWords,
  exactTokenCounter,
  formatHeadingPath,
  resolveChunkOptions,
  wordCachedCounter,
  type Chunk,
  type ChunkOptions,
  type CountTokens,
} from '../../src/lib/core/chunking';
import { hash } from '../../src/lib/core/hash';
import { parseArticle } from '../../src/lib/core/markdown';

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
const sentence = (i: number) => `Sentence ${i} explains how customers can ask for a refund within thirty days.`;
const paragraph = (count: number, from = 0) => Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');
const options = { targetTokens: 100, maxTokens: 128, overlapTokens: 20 };
const chunk = (markdown: string, counter = wordCount, opts: Partial<ChunkOptions> = options) =>
  chunkArticle(parseArticle('billing/refund-policy.md', markdown), opts, counter);
const body = (c: Chunk) => c.text.slice(c.text.indexOf('\n') + 1);

const handbook = [
  '# Refund policy',
  paragraph(3),
  '## Request a refund',
  paragraph(6, 100),
  paragraph(7, 200),
  paragraph(5, 300),
  '## Exceptions',
  paragraph(9, 400),
  '### Digital goods',
  paragraph(4, 500),
].join('\n\n');

describe('hash', () => {
  test('is a fixed-width base-36 string, deterministic and seedable', () => {
    expect(hash('refund')).toMatch(/^[0-9a-z]{11}$/);
    expect(hash('refund')).toBe(hash('refund'));
    expect(hash('')).toMatch(/^[0-9a-z]{11}$/);
    expect(hash('refund')).not.toBe(hash('refunds'));
    expect(hash('refund', 1)).not.toBe(hash('refund'));
  });
});

describe('chunkArticle', () => {
  test('no chunk exceeds maxTokens and typical chunks come near the target', () => {
    const chunks = chunk(handbook + '\n\n' + paragraph(60, 600));
    for (const c of chunks) {
      expect(wordCount(c.text)).toBeLessThanOrEqual(options.maxTokens);
      expect(c.tokenCount).toBe(wordCount(c.text));
    }
    const sizes = chunks.map((c) => c.tokenCount).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeGreaterThanOrEqual(options.targetTokens * 0.6);
  });

  test('every heading starts a new chunk, which carries its heading path and starts with its heading', () => {
    const chunks = chunk(handbook);
    expect([...new Set(chunks.map((c) => formatHeadingPath(c.headingPath)))]).toEqual([
      'Refund policy',
      'Refund policy › Request a refund',
      'Refund policy › Exceptions',
      'Refund policy › Exceptions › Digital goods',
    ]);
    for (const c of chunks) expect(c.text.split('\n')[0]).toBe(c.headingPath[c.headingPath.length - 1]);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  test('text before the first heading is headed by the article title', () => {
    const [first] = chunkArticle(parseArticle('faq.md', '---\ntitle: FAQ\n---\nShort intro.\n'), {}, wordCount);
    expect(first).toMatchObject({ headingPath: [], text: 'FAQ\nShort intro.' });
  });

  test('re-chunking unchanged text gives the same ids; editing one section changes only its ids', () => {
    const before = chunk(handbook);
    expect(chunk(handbook).map((c) => c.id)).toEqual(before.map((c) => c.id));
    const after = chunk(handbook.replace(sentence(401), 'Sentence 401 now says something else entirely.'));
    const changed = (c: Chunk) => !before.some((b) => b.id === c.id);
    expect(after.filter(changed).map((c) => formatHeadingPath(c.headingPath))).toEqual(expect.arrayContaining(['Refund policy › Exceptions']));
    expect(new Set(after.filter(changed).map((c) => formatHeadingPath(c.headingPath)))).toEqual(new Set(['Refund policy › Exceptions']));
    expect(before.filter((c) => c.headingPath[1] !== 'Exceptions').every((b) => after.some((a) => a.id === b.id))).toBe(true);
  });

  test('identical chunks in one section get distinct ids', () => {
    const chunks = chunk(`# Repeated\n\n${paragraph(30)}\n\n${paragraph(30)}`, wordCount, { targetTokens: 32, maxTokens: 40, overlapTokens: 0 });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
  });

  test('a code block under maxTokens is never split and never shares a line with prose', () => {
    const code = Array.from({ length: 12 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const chunks = chunk(`# Setup\n\n${paragraph(6)}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${paragraph(6, 50)}`);
    const holders = chunks.filter((c) => c.text.includes('const value0'));
    expect(holders).toHaveLength(1);
    expect(holders[0].text).toContain('```ts\n' + code + '\n```');
    const lines = holders[0].text.split('\n');
    for (const line of code.split('\n')) expect(lines).toContain(line);
  });

  test('a code block over maxTokens splits at line boundaries, each part fenced', () => {
    const code = Array.from({ length: 80 }, (_, i) => `line ${i} of a long script`).join('\n');
    const chunks = chunk(`# Script\n\n\`\`\`sh\n${code}\n\`\`\``);
    expect(chunks.length).toBeGreaterThan(1);
    const lines: string[] = [];
    for (const c of chunks) {
      expect(c.tokenCount).toBeLessThanOrEqual(options.maxTokens);
      expect(body(c).startsWith('```sh\n') && body(c).endsWith('\n```')).toBe(true);
      lines.push(...body(c).split('\n').slice(1, -1));
    }
    expect(lines).toEqual(code.split('\n'));
  });

  test('overlap: a continuing chunk starts with trailing sentences of the previous one, within overlapTokens', () => {
    const chunks = chunk(`# Long\n\n${paragraph(40)}`);
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      const previous = body(chunks[i - 1]);
      const firstSentence = body(chunks[i]).match(/^.*?\.(?= |$)/)![0];
      expect(previous.endsWith(firstSentence)).toBe(true);
      expect(wordCount(firstSentence)).toBeLessThanOrEqual(options.overlapTokens);
    }
    const noOverlap = chunk(`# Long\n\n${paragraph(40)}`, wordCount, { ...options, overlapTokens: 0 });
    expect(noOverlap.map(body).join(' ')).toBe(paragraph(40));
  });

  test('a 2000-word single paragraph splits at sentence boundaries', () => {
    const words = Array.from({ length: 2000 }, (_, i) => (i % 25 === 24 ? `word${i}.` : `word${i}`));
    const chunks = chunk(`# Essay\n\n${words.join(' ')}`, wordCount, { targetTokens: 200, maxTokens: 256, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThanOrEqual(8);
    for (const c of chunks) {
      expect(c.tokenCount).toBeLessThanOrEqual(256);
      expect(body(c).endsWith('.')).toBe(true);
    }
    expect(chunks.map(body).join(' ')).toBe(words.join(' '));
  });

  test('a sentence longer than maxTokens falls back to word boundaries', () => {
    const words = Array.from({ length: 500 }, (_, i) => `w${i}`);
    const chunks = chunk(`# Run-on\n\n${words.join(' ')}`, wordCount, { targetTokens: 64, maxTokens: 64, overlapTokens: 0 });
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(64);
    expect(chunks.map(body).join(' ')).toBe(words.join(' '));
  });

  test('special tokens the counter adds are counted once per chunk', () => {
    const withSpecials = (text: string) => wordCount(text) + 2;
    for (const c of chunk(handbook, withSpecials)) expect(withSpecials(c.text)).toBeLessThanOrEqual(options.maxTokens);
  });

  test('counts each distinct string once and about once per block', () => {
    const seen: string[] = [];
    chunk(handbook, (text) => (seen.push(text), wordCount(text)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeLessThan(60);
  });

  test('options are checked with their ranges', () => {
    expect(resolveChunkOptions()).toEqual({ targetTokens: 200, maxTokens: 256, overlapTokens: 32, minTokens: 32 });
    // Settings stored before the floor existed get it; a small target gets a smaller floor.
    expect(resolveChunkOptions({ targetTokens: 40, maxTokens: 48, overlapTokens: 0 }).minTokens).toBe(20);
    expect(() => resolveChunkOptions({ minTokens: 101 })).toThrow('minTokens must be a whole number from 0 to 100; got 101');
    expect(() => resolveChunkOptions({ targetTokens: 10 })).toThrow('targetTokens must be a whole number from 32 to 2048; got 10');
    expect(() => resolveChunkOptions({ targetTokens: 300 })).toThrow(/maxTokens must be a whole number from 300/);
    expect(() => resolveChunkOptions({ overlapTokens: 150 })).toThrow(/overlapTokens must be a whole number from 0 to 100/);
  });

  test('an article without blocks has no chunks', () => {
    expect(chunk('')).toEqual([]);
  });
});

describe('short sections', () => {
  /** A reference article: one heading and one short line per entry, as the 150-chunk case. */
  const entry = (i: number, line = `Sets the value number ${i} of the widget.`) => `## Option ${i}\n\n${line}`;
  const reference = (entries: string[]) => ['# Widget reference', 'Every option the widget reads.', ...entries].join('\n\n');
  const entries = Array.from({ length: 150 }, (_, i) => entry(i));
  const defaults = { targetTokens: 200, maxTokens: 256, overlapTokens: 32 };
  const chunkReference = (list: string[], opts: Partial<ChunkOptions> = defaults) =>
    chunkArticle(parseArticle('reference/widget.md', reference(list)), opts, wordCount);
  const holder = (chunks: Chunk[], i: number) => chunks.find((c) => c.text.includes(`Option ${i}\n`))!;

  test('a reference article of 150 one-line sections makes chunks above the floor, losing no line', () => {
    const chunks = chunkReference(entries);
    expect(chunks.length).toBeLessThan(40);
    for (const c of chunks) {
      expect(c.tokenCount).toBeGreaterThanOrEqual(32);
      expect(c.tokenCount).toBeLessThanOrEqual(256);
      expect(c.tokenCount).toBe(wordCount(c.text));
    }
    // Every section once, in order, each with its heading line.
    const lines = chunks.flatMap((c) => c.text.split('\n'));
    expect(lines.filter((l) => l.startsWith('Option '))).toEqual(entries.map((_, i) => `Option ${i}`));
    expect(lines.filter((l) => l.startsWith('Sets the value'))).toHaveLength(150);
    // Merged chunks are labelled by the heading their sections share.
    expect(new Set(chunks.map((c) => formatHeadingPath(c.headingPath)))).toEqual(new Set(['Widget reference']));
    // Without a floor every section is a chunk of its own, as before.
    expect(chunkReference(entries, { ...defaults, minTokens: 0 })).toHaveLength(151);
  });

  test('editing one short section changes the id of the chunk holding it only', () => {
    const before = chunkReference(entries);
    const edited = chunkReference(entries.map((e, i) => (i === 70 ? entry(i, 'Sets the colour number 70 of the widget.') : e)));
    const changed = edited.filter((c) => !before.some((b) => b.id === c.id));
    expect(changed).toEqual([holder(edited, 70)]);
    expect(edited).toHaveLength(before.length);
  });

  test('a section that grows or shrinks re-groups its neighbours only, not the rest of the article', () => {
    const before = chunkReference(entries);
    for (const line of [paragraph(4), 'Gone.']) {
      const edited = chunkReference(entries.map((e, i) => (i === 70 ? entry(i, line) : e)));
      const kept = before.filter((b) => edited.some((c) => c.id === b.id));
      expect(before.length - kept.length).toBeLessThanOrEqual(4);
      // Far from the edit, every chunk keeps its id.
      for (const i of [0, 30, 60, 90, 110, 149]) expect(kept).toContain(holder(before, i));
    }
  });

  test('a short section between long ones joins a neighbour, labelled by the headings they share', () => {
    const markdown = ['# Refund policy', '## Request a refund', paragraph(6), '### Note', 'Refunds take five days.', '## Exceptions', paragraph(6, 50)].join('\n\n');
    const chunks = chunk(markdown);
    const note = chunks.filter((c) => c.text.includes('Refunds take five days.'));
    expect(note).toHaveLength(1);
    expect(note[0].text).toBe(`Request a refund\n${paragraph(6)}\nNote\nRefunds take five days.`);
    expect(note[0].headingPath).toEqual(['Refund policy', 'Request a refund']);
    for (const c of chunks) expect(c.tokenCount).toBeGreaterThanOrEqual(32);
  });

  test('a short last piece of a long section folds back into the chunk before it', () => {
    // 91 words fill the target; the last paragraph alone would make a 10-token chunk.
    const markdown = `# Refunds\n\n${paragraph(7)}\n\nThen it ends here with a few more words.`;
    const chunks = chunk(markdown, wordCount, { targetTokens: 100, maxTokens: 128, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    expect(body(chunks[0])).toBe(`${paragraph(7)}\nThen it ends here with a few more words.`);
    expect(chunk(markdown, wordCount, { targetTokens: 100, maxTokens: 128, overlapTokens: 0, minTokens: 0 }).map((c) => c.tokenCount)).toEqual([92, 10]);
  });

  test('an article shorter than the floor stays one small chunk', () => {
    expect(chunk('# Tiny\n\nOne line.\n\n## More\n\nAnother line.').map((c) => c.text)).toEqual(['Tiny\nOne line.\nMore\nAnother line.']);
  });

  test('inline code keeps its backticks, so a quote copied from the source is in the chunk verbatim', () => {
    const [c] = chunk(`# Install\n\nRun \`npm install --save raft\` in the project folder, then \`npm test\`. ${paragraph(3)}`);
    expect(c.text).toContain('Run `npm install --save raft` in the project folder, then `npm test`.');
  });
});

describe('approximateTokenCount', () => {
  test('counts words and punctuation', () => {
    expect(approximateTokenCount('Refunds take 5 days, usually.')).toBe(7);
    expect(approximateTokenCount('')).toBe(0);
    expect(approximateTokenCount('返金ポリシー')).toBe(6);
  });
});

describe('word-cached token counting', () => {
  const MODELS = resolve(import.meta.dirname, '../models/tiny');
  const WIKI = resolve(import.meta.dirname, '../../public/sample-wiki');
  const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));
  /** The tiny embedder's real tokenizer (BERT WordPiece), counting as EmbedService does. */
  async function embedderTokenizer(): Promise<{ json: Record<string, unknown>; count: CountTokens }> {
    const json = await readJson(`${MODELS}/embedder/tokenizer.json`);
    const tokenizer = new PreTrainedTokenizer(json, await readJson(`${MODELS}/embedder/tokenizer_config.json`));
    return { json, count: (text) => tokenizer.encode(text, { add_special_tokens: false }).length };
  }

  test('is chosen for BERT-style tokenizers only', async () => {
    const bert = await readJson(`${MODELS}/embedder/tokenizer.json`);
    expect(countsAddUpOverWords(bert)).toBe(true);
    // Byte-level BPE glues the space to the next word: counts do not add up over words.
    expect(countsAddUpOverWords(await readJson(`${MODELS}/llama/tokenizer.json`))).toBe(false);
    expect(countsAddUpOverWords({ ...bert, pre_tokenizer: { type: 'Metaspace', replacement: '▁' } })).toBe(false);
    expect(countsAddUpOverWords({ ...bert, normalizer: { type: 'Sequence', normalizers: [{ type: 'Lowercase' }, { type: 'Replace' }] } })).toBe(false);
    expect(countsAddUpOverWords({ ...bert, added_tokens: [{ content: 'new line' }] })).toBe(false);
    expect(countsAddUpOverWords(null)).toBe(false);
    const plain = (text: string) => text.length;
    expect(exactTokenCounter({ model: { type: 'BPE' } }, plain)).toBe(plain);
  });

  test('counts exactly what the tokenizer counts, awkward text included', async () => {
    const { count } = await embedderTokenizer();
    const cached = wordCachedCounter(count);
    const awkward = [
      'Refunds take 5 days, usually.\tTabs,\r\nCRLF and  double  spaces.',
      'Zero\u200bwidth, no\u00a0break, BOM\ufeffinside, vertical\vtab and form\ffeed.',
      'Accents: café naïve Ångström; CJK: 返金ポリシー; emoji 😀; specials [CLS] [SEP]x [MASK].',
      '   leading and trailing   ',
      '',
      'a'.repeat(150) + ' ' + 'b'.repeat(99),
    ];
    for (const text of awkward) expect(cached(text)).toBe(count(text));
  });

  test('chunks the sample wiki exactly as the plain tokenizer does', async () => {
    const { json, count } = await embedderTokenizer();
    const index = (await readJson(`${WIKI}/index.json`)) as { files: string[] };
    const articles = await Promise.all(index.files.map(async (path) => parseArticle(path, await readFile(`${WIKI}/${path}`, 'utf8'))));
    const fast = exactTokenCounter(json, count);
    expect(fast).not.toBe(count);
    let calls = 0;
    const plain: CountTokens = (text) => (calls++, count(text));
    const expected = articles.map((article) => chunkArticle(article, {}, plain));
    const actual = articles.map((article) => chunkArticle(article, {}, fast));
    expect(expected.flat().length).toBeGreaterThan(20);
    expect(actual).toEqual(expected);
    for (const c of actual.flat()) expect(fast(c.text)).toBe(count(c.text));
  });
});

