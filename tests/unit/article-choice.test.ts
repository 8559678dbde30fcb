// The generation article chooser: titles told apart by their folder, a filter by words, and the choice in
// words with the right plurals ("1 article chosen, 1 chunk", never "1 articles", "1 chunks").
import { describe, expect, test } from 'vitest';
import { articleFolder, describeChoice, filterArticles } from '../../src/lib/core/corpus/article-choice';

const articles = [
  { path: 'api/rate-limits.md', title: 'Rate limits', chunkCount: 1 },
  { path: 'api/v1/rate-limits.md', title: 'Rate limits', chunkCount: 3 },
  { path: 'billing/refund-policy.md', title: 'Refund policy', aliases: ['Money back'], chunkCount: 2 },
  { path: 'welcome.md', title: 'Café für Anfänger', chunkCount: 4 },
];

describe('articleFolder', () => {
  test('two articles of the same title differ by folder; top-level ones have none', () => {
    expect(articleFolder('api/rate-limits.md')).toBe('api/');
    expect(articleFolder('api/v1/rate-limits.md')).toBe('api/v1/');
    expect(articleFolder('welcome.md')).toBe('');
  });
});

describe('filterArticles', () => {
  test('every word must match the title, path or an alias; case and accents ignored', () => {
    expect(filterArticles(articles, 'rate').map((a) => a.path)).toEqual(['api/rate-limits.md', 'api/v1/rate-limits.md']);
    expect(filterArticles(articles, 'limits V1').map((a) => a.path)).toEqual(['api/v1/rate-limits.md']);
    expect(filterArticles(articles, 'money').map((a) => a.path)).toEqual(['billing/refund-policy.md']);
    expect(filterArticles(articles, 'cafe anfanger').map((a) => a.path)).toEqual(['welcome.md']);
    expect(filterArticles(articles, 'nothing like it')).toEqual([]);
    expect(filterArticles(articles, '   ')).toHaveLength(4);
  });
});

describe('describeChoice', () => {
  test('singular for one, plural otherwise', () => {
    expect(describeChoice(articles, ['api/rate-limits.md'])).toBe('1 article chosen, 1 chunk.');
    expect(describeChoice(articles, ['api/rate-limits.md', 'api/v1/rate-limits.md'])).toBe('2 articles chosen, 4 chunks.');
    expect(describeChoice(articles, [])).toBe('0 articles chosen, 0 chunks.');
    expect(describeChoice(articles, ['gone.md'])).toBe('0 articles chosen, 0 chunks.');
  });
});
