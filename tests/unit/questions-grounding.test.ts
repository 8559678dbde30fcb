import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { approximateTokenCount, chunkArticle } from '../../src/lib/core/chunking';
import { parseArticle } from '../../src/lib/core/markdown';
import { groundAnswer, MIN_GROUNDING_WORDS } from '../../src/lib/core/questions';
import { wordSpans } from '../../src/lib/core/text-match';

const chunk =
  'Annual billing › Refunds\nYou can get a full refund within 30 days of the purchase or of an annual renewal. ' +
  'Between day 31 and day 180 you get a prorated refund. A processing fee of 10% of the refunded amount is deducted. ' +
  'Lumen emails the account Owner 30 days before an annual renewal \u2014 and again 7 days before.';

describe('groundAnswer', () => {
  test('an answer written verbatim in the chunk is its own quote', () => {
    expect(groundAnswer('A processing fee of 10% of the refunded amount is deducted.', chunk)).toEqual({
      quote: 'A processing fee of 10% of the refunded amount is deducted.',
      level: 'verbatim',
    });
    expect(groundAnswer('  a prorated refund  ', chunk)).toBeNull();
    expect(groundAnswer('you get a prorated refund!', chunk)).toEqual({ quote: 'you get a prorated refund', level: 'verbatim' });
  });

  test('case, spacing, quote and dash styles may differ: near-verbatim, quote copied from the chunk', () => {
    const grounded = groundAnswer('lumen emails the account owner 30 days before an annual renewal - and again 7 days before', chunk)!;
    expect(grounded).toEqual({ quote: 'Lumen emails the account Owner 30 days before an annual renewal \u2014 and again 7 days before', level: 'near-verbatim' });
  });

  test('a longer answer is grounded by its longest run of words the chunk shares', () => {
    expect(groundAnswer('Yes. Annual plans can be fully refunded within 30 days of the purchase or of an annual renewal.', chunk)).toEqual({
      quote: 'within 30 days of the purchase or of an annual renewal',
      level: 'verbatim',
    });
    expect(groundAnswer('Yes: Within 30 Days Of The Purchase, or so.', chunk)).toEqual({ quote: 'within 30 days of the purchase or', level: 'near-verbatim' });
  });

  test('null when fewer than 4 words match in a row', () => {
    expect(groundAnswer('30 days', chunk)).toBeNull();
    expect(groundAnswer('Refunds are processed by the bank within days.', chunk)).toBeNull();
    expect(groundAnswer('', chunk)).toBeNull();
    expect(groundAnswer('A processing fee is deducted.', '')).toBeNull();
  });

  test('on the sample wiki, every grounding quote is an exact substring of the oracle chunk', () => {
    const lines = readFileSync('public/sample-wiki/questions.jsonl', 'utf8').trim().split('\n');
    let grounded = 0;
    for (const line of lines) {
      const { answer, article, quote } = JSON.parse(line) as { answer: string; article: string; quote: string };
      const chunks = chunkArticle(parseArticle(article, readFileSync(`public/sample-wiki/${article}`, 'utf8')), {}, approximateTokenCount);
      const oracle = chunks.find((c) => c.text.includes(quote))!;
      const result = groundAnswer(answer, oracle.text);
      if (!result) continue;
      grounded++;
      expect(oracle.text).toContain(result.quote);
      // Words as grounding counts them (letters and digits: "self-contained" is two), not split at spaces.
      expect(wordSpans(result.quote).length).toBeGreaterThanOrEqual(MIN_GROUNDING_WORDS);
    }
    console.log(`groundAnswer grounds ${grounded}/${lines.length} sample answers in their oracle chunk`);
    expect(grounded).toBeGreaterThanOrEqual(150); // 165 of 200 when written
  });
});
