// Oversized front matter (issue 13, item 6): 100,000 keys once kept the corpus worker busy 71 s. It is bounded
// now: the file is still added, only the fields the app reads are parsed, and the ingest report says so.
import { expect, test } from 'vitest';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { parseArticle } from '../../src/lib/core/markdown';
import { FRONT_MATTER_LIMITS } from '../../src/lib/core/markdown/front-matter';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';

/** Front matter with `keys` generated keys around the fields the app reads, then a body. */
function hugeNote(keys: number): string {
  const filler = Array.from({ length: keys }, (_, i) => `key${i}: value number ${i}`).join('\n');
  return `---\ntitle: Huge note\n${filler}\ntags:\n  - big\n  - "#yaml"\ndescription: Many keys\n---\n# Body\n\nThe quokka lives on Rottnest Island.\n`;
}

test('100,000 front matter keys parse in about a second at most (71 s before); title, tags and body kept, the warning names the bound', () => {
  const started = performance.now();
  const article = parseArticle('notes/huge.md', hugeNote(100_000));
  const elapsed = performance.now() - started;
  // NOTE: a hang guard with room for a loaded machine (about 0.1 s alone), not a benchmark.
  expect(elapsed).toBeLessThan(3_000);
  expect(article.title).toBe('Huge note');
  expect(article.metadata).toMatchObject({ tags: ['big', 'yaml'], description: 'Many keys' });
  expect(article.blocks.map((b) => b.text)).toEqual(['Body', 'The quokka lives on Rottnest Island.']);
  expect(article.warnings).toEqual([
    'Front matter is too large (100,005 lines, 2.7 MB; the bound is 1,000 lines or 32 KB): read only its title, aliases, tags and description',
  ]);
});

test('front matter just within the bound is parsed whole, with no warning', () => {
  const keys = FRONT_MATTER_LIMITS.maxLines - 6;
  const article = parseArticle('notes/big.md', hugeNote(keys));
  expect(article.warnings).toEqual([]);
  expect(article.title).toBe('Huge note');
});

test('an oversized front matter whose known fields are themselves too large is ignored, the text kept', () => {
  const title = 'x'.repeat(FRONT_MATTER_LIMITS.maxChars + 10);
  const article = parseArticle('notes/long-title.md', `---\ntitle: ${title}\n---\nBody text.\n`);
  expect(article.title).toBe('long-title');
  expect(article.warnings[0]).toMatch(/^Front matter is too large \(1 line, 32 KB; .*\): kept the text, ignored the metadata$/);
  expect(article.blocks.map((b) => b.text)).toEqual(['Body text.']);
});

test('the corpus worker adds a 100,000-key file in seconds, reports the cut, and searches it', async () => {
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`fm-${Math.random()}`)));
  const client = new CorpusClient(endpoint, close);
  try {
    await client.call('open', undefined);
    const started = performance.now();
    const { report } = await client.call('ingest', { files: [{ path: 'notes/huge.md', blob: new Blob([hugeNote(100_000)]) }] });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(report.added).toEqual(['notes/huge.md']);
    expect(report.warnings).toEqual([{ path: 'notes/huge.md', message: expect.stringMatching(/^Front matter is too large/) }]);
    const { hits } = await client.call('search', { query: 'quokka Rottnest', mode: 'lexical', k: 3 });
    expect(hits[0]?.articleTitle).toBe('Huge note');
  } finally {
    client.terminate();
  }
});
