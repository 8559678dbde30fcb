// Issue 13.7: text in scripts written without spaces (and Hangul, whose particles attach to the word) is searched
// by word. The one tokenizer BM25 indexing and queries share cuts such runs into character bigrams; Latin text
// keeps its terms exactly.
import { describe, expect, test } from 'vitest';
import { Bm25Index } from '../../src/lib/core/retrieval/bm25';
import { terms } from '../../src/lib/core/retrieval/lexical-terms';

const index = new Bm25Index();
const DOCS: Record<string, string> = {
  'ja-weather': '東京は今日晴れです。',
  'ja-coffee': '毎朝コーヒーを飲みます。',
  'ja-bus': '駅までバスで行きます。',
  'ja-lotus': '池にハスの花が咲いています。',
  'zh-capital': '北京是中国的首都，人口超过两千万。',
  'zh-panda': '大熊猫生活在四川的山区。',
  'ko-capital': '서울은 한국의 수도입니다.',
  'ko-food': '김치는 한국의 전통 음식입니다.',
  'th-market': 'ตลาดน้ำอยู่ใกล้กรุงเทพ',
  'en-refund': 'Monthly plans: request a refund within 14 days of purchase from the billing page.',
};
for (const [id, text] of Object.entries(DOCS)) index.add(id, text);
const top = (query: string) => index.search(query, 3)[0]?.chunkId;

describe('CJK and other unspaced scripts are searched by word', () => {
  test.each([
    ['東京', 'ja-weather'],
    ['今日の天気', 'ja-weather'],
    ['コーヒー', 'ja-coffee'],
    ['バス', 'ja-bus'],
    ['首都', 'zh-capital'],
    ['熊猫', 'zh-panda'],
    ['서울', 'ko-capital'],
    ['김치', 'ko-food'],
    ['กรุงเทพ', 'th-market'],
    ['refunds', 'en-refund'],
  ])('%s finds %s first', (query, id) => {
    expect(top(query)).toBe(id);
  });

  test('a Korean word with its particle finds the word without it (서울은 → 서울), and the reverse', () => {
    expect(top('서울에 대해')).toBe('ko-capital');
    expect(index.search('서울은', 3)[0].chunkId).toBe('ko-capital');
  });

  test('voiced kana stay distinct: バス (bus) does not find ハス (lotus)', () => {
    expect(index.search('バス', 5).map((h) => h.chunkId)).not.toContain('ja-lotus');
  });

  test('terms: bigrams for the unspaced runs, words for the rest; Latin exactly as before', () => {
    expect(terms('東京は今日晴れです。')).toEqual(['東京', '京は', 'は今', '今日', '日晴', '晴れ', 'れで', 'です']);
    expect(terms('iPhone用の Apps')).toEqual(['iphone', '用の', 'app']);
    expect(terms('猫')).toEqual(['猫']);
    expect(terms('ｶﾞｰﾃﾞﾝ')).toEqual(['ガー', 'ーデ', 'デン']);
    expect(terms('How do I request REFUNDS for the Résumé templates?')).toEqual(['request', 'refund', 'resume', 'template']);
    expect(terms('Ça coûte 3€, naïve café, Ωμέγα, Привет')).toEqual(['ca', 'coute', '3', 'naive', 'cafe', 'ωμεγα', 'привет']);
  });
});
