import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { approximateTokenCount, chunkArticle, type Chunk, type ChunkOptions } from '../../src/lib/core/chunking';
import { parseArticle } from '../../src/lib/core/markdown';
import { findOrphans, mergePairs, parseImport, resolveRows, type QAPair, type QuestionCorpus, type RawQuestionRow } from '../../src/lib/core/questions';

const ROOT = 'public/sample-wiki/';
const wikiFiles: string[] = JSON.parse(readFileSync(ROOT + 'index.json', 'utf8')).files;
const questionsText = readFileSync(ROOT + 'questions.jsonl', 'utf8');

function loadWiki(options: Partial<ChunkOptions> = {}): QuestionCorpus & { chunks: Chunk[] } {
  const articles: QuestionCorpus['articles'][number][] = [];
  const chunks: Chunk[] = [];
  for (const path of wikiFiles) {
    const parsed = parseArticle(path, readFileSync(ROOT + path, 'utf8'));
    articles.push({ path, title: parsed.title, aliases: parsed.metadata.aliases });
    chunks.push(...chunkArticle(parsed, options, approximateTokenCount));
  }
  return { articles, chunks };
}

const wiki = loadWiki();
const chunkById = new Map(wiki.chunks.map((c) => [c.id, c]));
const sampleRows = parseImport(questionsText, 'questions.jsonl').rows;
const row = (fields: Partial<RawQuestionRow>): RawQuestionRow => ({ line: 1, question: 'How long is the refund window?', tags: [], ...fields });
const resolveOne = (fields: Partial<RawQuestionRow>, corpus: QuestionCorpus = wiki) => resolveRows([row(fields)], corpus, { now: 1000, file: 'q.jsonl' })[0];
const quoteRow = sampleRows[0];

describe('resolving the sample wiki questions', () => {
  test('all 200 rows resolve verbatim, each to one chunk of the named article that holds the quote', () => {
    const resolved = resolveRows(sampleRows, wiki, { now: 1000, file: 'questions.jsonl' });
    expect(resolved).toHaveLength(200);
    for (const { pair, level, crossesBoundary } of resolved) {
      expect(pair.status, pair.problem).toBe('ok');
      expect(level).toBe('verbatim');
      expect(crossesBoundary).toBe(false);
      expect(pair.oracleChunkIds).toHaveLength(1);
      const chunk = chunkById.get(pair.oracleChunkIds[0])!;
      expect(chunk.articlePath).toBe(pair.source?.article);
      expect(chunk.text).toContain(pair.quote);
    }
    expect(new Set(resolved.map((r) => r.pair.id)).size).toBe(200);
    expect(resolved[0].pair).toMatchObject({ origin: 'imported', split: 'test', createdAt: 1000, source: { file: 'questions.jsonl', line: 1 } });
  });

  test.each([
    { targetTokens: 32, maxTokens: 40, overlapTokens: 0 },
    { targetTokens: 64, maxTokens: 80, overlapTokens: 16 },
    { targetTokens: 512, maxTokens: 1024, overlapTokens: 64 },
  ])('all 200 still resolve with chunk settings %j; no quote crosses a chunk boundary', (options) => {
    const corpus = loadWiki(options);
    const byId = new Map(corpus.chunks.map((c) => [c.id, c]));
    const resolved = resolveRows(sampleRows, corpus, { now: 0 });
    const inTwo = resolved.filter((r) => r.pair.oracleChunkIds.length > 1).length;
    console.log(`chunks ${JSON.stringify(options)}: ${corpus.chunks.length} chunks, ${inTwo} quotes lie in two overlapping chunks`);
    for (const { pair, level, crossesBoundary } of resolved) {
      expect(pair.status, pair.problem).toBe('ok');
      expect(level).toBe('verbatim');
      expect(crossesBoundary).toBe(false);
      for (const id of pair.oracleChunkIds) expect(byId.get(id)!.text).toContain(pair.quote);
    }
  });

  test('re-importing gives the same ids, also after re-chunking; merging adds nothing', () => {
    const first = resolveRows(parseImport(questionsText).rows, wiki, { now: 1 }).map((r) => r.pair);
    const again = resolveRows(parseImport(questionsText).rows, wiki, { now: 2 }).map((r) => r.pair);
    const rechunked = resolveRows(sampleRows, loadWiki({ targetTokens: 64, maxTokens: 80, overlapTokens: 0 }), { now: 3 }).map((r) => r.pair);
    expect(again.map((p) => p.id)).toEqual(first.map((p) => p.id));
    expect(rechunked.map((p) => p.id)).toEqual(first.map((p) => p.id));
    const merged = mergePairs(first, again);
    expect(merged.pairs).toHaveLength(200);
    expect(merged.unchanged).toHaveLength(200);
    expect(merged.pairs[0]).toBe(first[0]);
  });

  test('without quotes, the answer alone finds the quoted chunk for most rows (best-overlap)', () => {
    const withQuote = resolveRows(sampleRows, wiki, { now: 0 });
    const withoutQuote = resolveRows(sampleRows.map(({ quote: _quote, ...r }) => r), wiki, { now: 0 });
    let same = 0;
    withoutQuote.forEach((r, k) => {
      expect(r.level).toBe('best-overlap');
      expect(r.pair.oracleChunkIds).toHaveLength(1);
      if (r.pair.oracleChunkIds[0] === withQuote[k].pair.oracleChunkIds[0]) same++;
    });
    console.log(`best-overlap picks the quoted chunk for ${same}/200 rows`);
    expect(same).toBeGreaterThanOrEqual(190);
  });
});

describe('chunk ids', () => {
  const [a, b] = wiki.chunks;

  test('known ids are used as given (several for a multi-hop question)', () => {
    const one = resolveOne({ chunkIds: [a.id] });
    expect(one.pair).toMatchObject({ status: 'ok', oracleChunkIds: [a.id] });
    expect(one.level).toBe('chunk-id');
    expect(resolveOne({ chunkIds: [a.id, b.id] }).pair.oracleChunkIds).toEqual([a.id, b.id]);
  });

  test('an unknown id leaves the pair unresolved, keeping the known ids to start from', () => {
    const { pair } = resolveOne({ chunkIds: [a.id, 'c_xxxxxxxxxxx'] });
    expect(pair).toMatchObject({ status: 'unresolved', problem: 'unknown chunk id c_xxxxxxxxxxx', oracleChunkIds: [a.id] });
  });

  test('a stale id with an article and quote resolves through the article, with a note', () => {
    const r = resolveOne({ chunkIds: ['c_stale000000'], article: quoteRow.article, quote: quoteRow.quote });
    expect(r.pair.status).toBe('ok');
    expect(r.level).toBe('verbatim');
    expect(r.note).toBe('unknown chunk id c_stale000000; resolved through the article instead');
  });
});

describe('article references', () => {
  const expected = resolveOne({ article: 'billing/refund-policy.md', quote: quoteRow.quote }).pair.oracleChunkIds;

  test.each(['billing/refund-policy.md', './billing/refund-policy.md', 'billing\\refund-policy.md', 'billing/refund-policy', 'Billing/Refund-Policy.MD', 'refund-policy.md', 'refund-policy', 'Refund policy (monthly plans)', 'money BACK', '  Monthly refund '])(
    '%j names billing/refund-policy.md',
    (article) => {
      const { pair } = resolveOne({ article, quote: quoteRow.quote });
      expect(pair.status, pair.problem).toBe('ok');
      expect(pair.oracleChunkIds).toEqual(expected);
    },
  );

  test('an ambiguous reference is unresolved and lists the candidates', () => {
    const corpus = { articles: [...wiki.articles, { path: 'archive/refund-policy.md', title: 'Old refunds', aliases: ['Money back'] }], chunks: wiki.chunks };
    expect(resolveOne({ article: 'refund-policy.md', quote: 'x' }, corpus).pair).toMatchObject({
      status: 'unresolved',
      problem: '"refund-policy.md" matches 2 articles: archive/refund-policy.md, billing/refund-policy.md; give the path',
    });
    expect(resolveOne({ article: 'money back', quote: 'x' }, corpus).pair.problem).toMatch(/matches 2 articles/);
    expect(resolveOne({ article: 'billing/refund-policy.md', quote: quoteRow.quote }, corpus).pair.status).toBe('ok');
  });

  test('unknown articles, articles without chunks, missing quotes and missing oracles are unresolved with a reason', () => {
    expect(resolveOne({ article: 'billing/refunds-2019.md', quote: 'x' }).pair.problem).toBe('no article matches "billing/refunds-2019.md"');
    const empty = { articles: [...wiki.articles, { path: 'empty.md', title: 'Empty', aliases: [] }], chunks: wiki.chunks };
    expect(resolveOne({ article: 'empty.md', quote: 'x' }, empty).pair.problem).toBe('article empty.md has no chunks');
    expect(resolveOne({ article: 'refund-policy' }).pair.problem).toBe('article billing/refund-policy.md given without a quote: pick the chunk');
    expect(resolveOne({}).pair.problem).toBe('no chunk_id or article given: pick the chunk');
    const unresolved = resolveOne({ article: 'nowhere' }).pair;
    expect(unresolved).toMatchObject({ status: 'unresolved', oracleChunkIds: [], source: { file: 'q.jsonl', line: 1, article: 'nowhere' } });
  });
});

describe('quote levels', () => {
  const quoted = (quote: string) => resolveOne({ article: 'billing/refund-policy.md', quote });
  const exact = quoteRow.quote!;

  test('normalised: case, curly quotes, spacing and emphasis differ; the pair keeps the exact chunk text', () => {
    const r = quoted('  REFUNDS for **monthly** plans are available\nwithin 14 days of the first payment  ');
    expect(r.level).toBe('normalised');
    expect(r.pair.oracleChunkIds).toEqual(quoted(exact).pair.oracleChunkIds);
    expect(r.pair.quote).toBe('Refunds for monthly plans are available within 14 days of the first payment');
    expect(chunkById.get(r.pair.oracleChunkIds[0])!.text).toContain(r.pair.quote);
  });

  test('fuzzy: a paraphrased quote finds its chunk; the share is reported', () => {
    const r = quoted('Refunds on monthly plans are offered within 14 days of the first payment of a subscription.');
    expect(r.pair.status).toBe('ok');
    expect(r.level).toBe('fuzzy');
    expect(r.share).toBeGreaterThanOrEqual(0.6);
    expect(r.pair.oracleChunkIds).toEqual(quoted(exact).pair.oracleChunkIds);
  });

  test('a quote that is not in the article is unresolved, saying how close the best chunk came', () => {
    const { pair } = quoted('Webhooks are retried up to 8 times over 24 hours.');
    expect(pair.status).toBe('unresolved');
    expect(pair.problem).toMatch(/^quote not found in billing\/refund-policy\.md \(closest: \d+% of its words, in ".+"\): fix the quote or pick the chunk$/);
  });
});

describe('a quote crossing a chunk boundary', () => {
  const sentences = Array.from({ length: 12 }, (_, i) => `Rule ${i} says that refunds of kind ${i} take ${i + 3} business days to arrive.`);
  const body = sentences.join(' ');
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

  test.each([0, 15])('goes to the chunk holding the larger share (overlap %i tokens)', (overlapTokens) => {
    const chunks = chunkArticle(parseArticle('timing.md', `# Timing\n\n${body}`), { targetTokens: 40, maxTokens: 48, overlapTokens }, words);
    const corpus = { articles: [{ path: 'timing.md', title: 'Timing', aliases: [] }], chunks };
    expect(chunks.length).toBeGreaterThan(2);
    // The last sentence only chunk 0 holds, and the first sentence only chunk 1 holds.
    const onlyFirst = sentences.filter((s) => chunks[0].text.includes(s) && !chunks[1].text.includes(s)).at(-1)!;
    const onlySecond = sentences.find((s) => chunks[1].text.includes(s) && !chunks[0].text.includes(s))!;
    const from = (s: string) => body.indexOf(s);
    const to = (s: string) => body.indexOf(s) + s.length;

    const mostlySecond = body.slice(to(onlyFirst) - 'business days to arrive.'.length, to(onlySecond));
    const r = resolveOne({ article: 'timing.md', quote: mostlySecond }, corpus);
    expect(r.pair.status, r.pair.problem).toBe('ok');
    expect(r).toMatchObject({ level: 'normalised', crossesBoundary: true });
    expect(r.pair.oracleChunkIds).toEqual([chunks[1].id]);
    expect(r.share).toBeCloseTo(1 - 4 / words(mostlySecond), 5);

    const mostlyFirst = body.slice(from(onlyFirst), from(onlySecond) + 'Rule 2 says'.length);
    const r2 = resolveOne({ article: 'timing.md', quote: mostlyFirst }, corpus);
    expect(r2).toMatchObject({ level: 'normalised', crossesBoundary: true });
    expect(r2.pair.oracleChunkIds).toEqual([chunks[0].id]);
    expect(r2.share).toBeCloseTo(1 - 3 / words(mostlyFirst), 5);
  });
});

describe('findOrphans', () => {
  const pairs = resolveRows(sampleRows.slice(0, 3), wiki, { now: 0 }).map((r) => r.pair);
  const unresolved: QAPair = resolveOne({}).pair;

  test('marks pairs whose oracle chunk disappeared as orphaned, keeps them, and restores them when it returns', () => {
    const gone = pairs[1].oracleChunkIds[0];
    const remaining = wiki.chunks.map((c) => c.id).filter((id) => id !== gone);
    const marked = findOrphans([...pairs, unresolved], remaining);
    expect(marked).toHaveLength(4);
    expect(marked[0]).toBe(pairs[0]);
    expect(marked[1]).toMatchObject({ id: pairs[1].id, status: 'orphaned', oracleChunkIds: [gone] });
    expect(marked[1].problem).toContain(gone);
    expect(marked[3]).toBe(unresolved);
    const restored = findOrphans(marked, new Set(wiki.chunks.map((c) => c.id)));
    expect(restored[1].status).toBe('ok');
    expect(restored[1]).not.toHaveProperty('problem');
  });
});
