import { describe, expect, test } from 'vitest';
import { findNormalised, findVerbatim, normaliseForMatch, overlapScore, wordSpans } from '../../src/lib/core/text-match';

describe('normaliseForMatch', () => {
  test.each([
    ['Résumé  CAFÉ', 'resume cafe'],
    ['  spaced\n\tout\u00a0text  ', 'spaced out text'],
    ['\u201cQuoted\u201d and \u2018single\u2019', '"quoted" and \'single\''],
    ['en\u2013dash em\u2014dash minus\u2212sign', 'en-dash em-dash minus-sign'],
    ['**bold** _em_ `code` ~~gone~~', 'bold em code gone'],
    ['zero\u200bwidth soft\u00adhyphen \ufeffbom', 'zerowidth softhyphen bom'],
    ['ﬁle … Ｆｕｌｌ', 'file ... full'],
    ['14 days. 14 days,', '14 days. 14 days,'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseForMatch(input)).toBe(expected);
  });
});

describe('findVerbatim', () => {
  test('is an exact, case-sensitive search; an empty needle never matches', () => {
    expect(findVerbatim('Refunds within 14 days.', '14 days')).toBe(15);
    expect(findVerbatim('Refunds within 14 days.', '14 Days')).toBe(-1);
    expect(findVerbatim('anything', '')).toBe(-1);
  });
});

describe('findNormalised', () => {
  const doc = 'Annual plans can be **fully refunded** within  30\u00a0days \u2014 see \u201cRefunds\u201d.\nCafé owners pay less.';

  test('returns the span of the original text, so slicing gives the text as written there', () => {
    const span = findNormalised(doc, 'FULLY refunded within 30 days - see "refunds"')!;
    expect(span).not.toBeNull();
    expect(doc.slice(span.start, span.end)).toBe('fully refunded** within  30\u00a0days \u2014 see \u201cRefunds\u201d');
    const cafe = findNormalised(doc, 'cafe owners')!;
    expect(doc.slice(cafe.start, cafe.end)).toBe('Café owners');
  });

  test('a line break matches a space, and leading/trailing blanks in the needle are ignored', () => {
    const span = findNormalised(doc, '  ”Refunds”. café  ')!;
    expect(doc.slice(span.start, span.end)).toBe('\u201cRefunds\u201d.\nCafé');
  });

  test('keeps decomposed accents and astral characters inside the span', () => {
    const text = 'Use the cafe\u0301 emoji 😀 here';
    const span = findNormalised(text, 'café emoji 😀')!;
    expect(text.slice(span.start, span.end)).toBe('cafe\u0301 emoji 😀');
  });

  test('null for a missing or blank needle', () => {
    expect(findNormalised(doc, 'within 45 days')).toBeNull();
    expect(findNormalised(doc, '  ** ')).toBeNull();
  });

  test('finds everything findVerbatim finds, at the same place', () => {
    const text = 'Sync: when you reach the limit, signing in on a new device fails with error E-204.';
    for (const needle of ['E-204', 'reach the limit,', 'Sync:', text]) {
      const span = findNormalised(text, needle)!;
      expect(span.start).toBe(findVerbatim(text, needle));
      expect(text.slice(span.start, span.end)).toBe(needle);
    }
  });
});

describe('wordSpans', () => {
  test('words are normalised, spans point into the original', () => {
    const text = 'Großes **Café**, E-204!';
    const spans = wordSpans(text);
    expect(spans.map((w) => w.word)).toEqual(['grosses', 'cafe', 'e', '204']);
    expect(spans.map((w) => text.slice(w.start, w.end))).toEqual(['Großes', 'Café', 'E', '204']);
  });
});

describe('overlapScore', () => {
  const chunk = 'Refund policy\nRefunds for monthly plans are available within 14 days of the first payment of a new subscription. Monthly renewals are never refunded.';

  test('1 for a quote contained in the text, whatever its case and punctuation', () => {
    expect(overlapScore('refunds for monthly plans are available within 14 days', chunk)).toBe(1);
    expect(overlapScore('Monthly renewals are NEVER refunded', chunk)).toBe(1);
  });

  test('a paraphrase changing one word in eleven scores 10/11', () => {
    expect(overlapScore('Refunds for monthly plans are offered within 14 days of the', chunk)).toBeCloseTo(10 / 11, 5);
  });

  test('scattered common words do not add up; unrelated text scores low', () => {
    expect(overlapScore('the of a the of a', 'the cat sat on a mat of wool and the dog')).toBeLessThanOrEqual(1 / 3);
    expect(overlapScore('Webhooks retry failed deliveries eight times', chunk)).toBeLessThan(0.3);
  });

  test('the share of a quote that runs past the end of the text', () => {
    expect(overlapScore('Monthly renewals are never refunded. Annual plans renew every year', chunk)).toBe(0.5);
  });

  test('0 for empty input; always within 0..1', () => {
    expect(overlapScore('', chunk)).toBe(0);
    expect(overlapScore('refunds', '')).toBe(0);
    expect(overlapScore('refunds refunds refunds', 'refunds')).toBeGreaterThanOrEqual(0);
    expect(overlapScore('refunds refunds refunds', 'refunds')).toBeLessThanOrEqual(1);
  });
});
