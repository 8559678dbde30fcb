import { expect, test } from 'vitest';
import { generationTimings } from '../../src/lib/core/generation';

test('tokens per second counts the decode phase after the first token', () => {
  // 11 tokens: the first at 100 ms, the remaining 10 over the next 500 ms.
  expect(generationTimings(0, 100, 600, 11)).toEqual({ totalMs: 600, timeToFirstTokenMs: 100, tokensPerSecond: 20 });
});

test('a generation that produced nothing reports zero rate, not NaN', () => {
  expect(generationTimings(0, null, 50, 0)).toEqual({ totalMs: 50, timeToFirstTokenMs: 50, tokensPerSecond: 0 });
});
