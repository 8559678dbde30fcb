// The search results' highlighting: the words whose term is one of the query's; in text without spaces (issue
// 13.7) only the characters of the matching word, not the whole run.
import { expect, test } from 'vitest';
import { highlightSegments } from '../../src/lib/ui/highlight';

const marked = (text: string, query: string) => highlightSegments(text, query).filter((s) => s.mark).map((s) => s.text);

test('Latin words are marked whole, by their folded, stemmed term', () => {
  expect(marked('Request REFUNDS within 14 days.', 'refund days')).toEqual(['REFUNDS', 'days']);
});

test('in Japanese, Chinese and Korean text only the matching word is marked', () => {
  expect(marked('東京は今日晴れです。', '東京')).toEqual(['東京']);
  expect(marked('北京是中国的首都。', '首都 北京')).toEqual(['北京', '首都']);
  expect(marked('서울은 한국의 수도입니다.', '서울')).toEqual(['서울']);
  expect(highlightSegments('東京は今日晴れです。', '東京').map((s) => s.text).join('')).toBe('東京は今日晴れです。');
});
