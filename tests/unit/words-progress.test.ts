// Counts and progress in words: the plural helper, time left, and the Index panel's one source of figures
// (the headline and the bar agree while embedding, and a resumed run counts the whole corpus).
import { describe, expect, test } from 'vitest';
import { indexFigures } from '../../src/lib/core/corpus/index-progress';
import { plural, timeLeft } from '../../src/lib/core/words';

describe('plural', () => {
  test('one is singular, everything else plural, large counts grouped', () => {
    expect(plural(1, 'chunk')).toBe('1 chunk');
    expect(plural(0, 'chunk')).toBe('0 chunks');
    expect(plural(2837, 'chunk')).toBe('2,837 chunks');
    expect(plural(1, 'query', 'queries')).toBe('1 query');
    expect(plural(3, 'query', 'queries')).toBe('3 queries');
  });
});

describe('timeLeft', () => {
  test('never "about under 1 s": a sentence for each range', () => {
    expect(timeLeft(0.3)).toBe('less than a second left');
    expect(timeLeft(8.4)).toBe('about 8 s left');
    expect(timeLeft(185)).toBe('about 3 min 5 s left');
    expect(timeLeft(1790)).toBe('about 30 min left');
    expect(timeLeft(3840)).toBe('about 1 h 4 min left');
    for (const s of [0, 0.4, 1, 59, 61, 5000]) expect(timeLeft(s)).not.toMatch(/about under|under 1 s/);
  });
});

describe('indexFigures', () => {
  const summary = { embeddedCount: 0, chunkCount: 2837 };

  test('while embedding, the headline follows the run (not the summary read before it) and matches the bar', () => {
    const f = indexFigures(summary, { done: 814, total: 2837, embedded: 814, chunkCount: 2837, rate: 40, etaSeconds: 50.6 });
    expect(f.headline).toBe('Embedded 814 of 2837 chunks');
    expect([f.embedded, f.total]).toEqual([814, 2837]);
    expect(f.run).toBe('40.0 chunks/s · about 51 s left');
  });

  test('a resumed run counts the whole corpus in both, and says how far this run got', () => {
    const f = indexFigures({ embeddedCount: 1065, chunkCount: 2837 }, { done: 1218, total: 1772, embedded: 1065 + 1218, chunkCount: 2837, rate: 0, etaSeconds: null });
    expect(f.headline).toBe('Embedded 2283 of 2837 chunks');
    expect([f.embedded, f.total]).toEqual([2283, 2837]);
    expect(f.run).toBe('this run: 1218 of 1772');
  });

  test('idle: the summary, and no run line', () => {
    expect(indexFigures({ embeddedCount: 1065, chunkCount: 2837 }, null)).toEqual({ embedded: 1065, total: 2837, headline: 'Embedded 1065 of 2837 chunks', run: null });
    expect(indexFigures(null, null).headline).toBe('Embedded 0 of 0 chunks');
  });
});
