import { describe, expect, test } from 'vitest';
import { extractQAPairs } from '../../src/lib/core/questions';

const P = (question: string, answer: string) => ({ question, answer });
const refund = P('How long is the refund window?', 'Within 14 days of the first payment.');
const tokens = P('How long do personal access tokens last?', 'By default 90 days; at most 365 days.');

interface Case {
  name: string;
  output: string;
  pairs: { question: string; answer: string }[];
  rejected?: string[];
}

const cases: Case[] = [
  {
    name: 'clean JSON array',
    output: '[{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}]',
    pairs: [refund],
  },
  {
    name: '```json fence with prose before and after',
    output:
      'Sure! Here are the questions based on the document:\n\n```json\n[\n  {\n    "question": "How long is the refund window?",\n    "answer": "Within 14 days of the first payment."\n  },\n  {\n    "question": "How long do personal access tokens last?",\n    "answer": "By default 90 days; at most 365 days."\n  }\n]\n```\n\nLet me know if you need more questions!',
    pairs: [refund, tokens],
  },
  {
    name: 'a single object instead of an array',
    output: '{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}',
    pairs: [refund],
  },
  {
    name: 'trailing commas',
    output: '[\n {"question": "How long is the refund window?", "answer": "Within 14 days of the first payment.",},\n]',
    pairs: [refund],
  },
  {
    name: 'smart quotes as delimiters (word-processor style)',
    output: '[{\u201cquestion\u201d: \u201cHow long is the refund window?\u201d, \u201canswer\u201d: \u201cWithin 14 days of the first payment.\u201d}]',
    pairs: [refund],
  },
  {
    name: 'single-quoted keys and values with an apostrophe inside',
    output: "[{'question': 'What's the refund window?', 'answer': 'It's 14 days from the first payment.'}]",
    pairs: [P("What's the refund window?", "It's 14 days from the first payment.")],
  },
  {
    name: 'truncated output: complete objects kept, the cut one reported',
    output:
      '[{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}, {"question": "How long do personal access tokens last?", "answer": "By default 90 days; at most 365 days."}, {"question": "Can I get a refund on an annual plan?", "answer": "Yes, within 30 days of the purch',
    pairs: [refund, tokens],
    rejected: ['truncated output: this object was cut off'],
  },
  {
    name: '{"questions": [...]} wrapper',
    output: '{"questions": [{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}]}',
    pairs: [refund],
  },
  {
    name: 'q/a keys, unquoted, in a JS-like literal',
    output: '[{q: "How long is the refund window?", a: "Within 14 days of the first payment."}, {Q: "How long do personal access tokens last?", A: "By default 90 days; at most 365 days."}]',
    pairs: [refund, tokens],
  },
  {
    name: 'one object per line (JSONL) with numbering',
    output:
      '1. {"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}\n2. {"question": "How long do personal access tokens last?", "answer": "By default 90 days; at most 365 days."}',
    pairs: [refund, tokens],
  },
  {
    name: 'objects without commas between them, and a missing comma between fields',
    output: '[\n{"question": "How long is the refund window?"\n "answer": "Within 14 days of the first payment."}\n{"question": "How long do personal access tokens last?", "answer": "By default 90 days; at most 365 days."}\n]',
    pairs: [refund, tokens],
  },
  {
    name: 'unescaped quotes inside a value and a raw line break',
    output: '[{"question": "What does "E-204" mean?", "answer": "The device limit was reached;\nsign out on another device."}]',
    pairs: [P('What does "E-204" mean?', 'The device limit was reached;\nsign out on another device.')],
  },
  {
    name: 'empty question and empty answer rejected with reasons',
    output: '[{"question": "", "answer": "Within 14 days."}, {"question": "How long is the refund window?", "answer": "   "}, {"question": "How long do personal access tokens last?", "answer": "By default 90 days; at most 365 days."}]',
    pairs: [tokens],
    rejected: ['empty question', 'empty answer'],
  },
  {
    name: 'the prompt echoed with placeholders, then the real answer',
    output: 'Format: [{"question": "...", "answer": "..."}]\n\nOutput:\n[{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}]',
    pairs: [refund],
    rejected: ['question is a placeholder ("...")'],
  },
  {
    name: 'duplicate question repeated by the model',
    output: '[{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}, {"question": "how long is the  refund window?", "answer": "14 days."}]',
    pairs: [refund],
    rejected: ['duplicate question'],
  },
  {
    name: 'not JSON at all',
    output: 'Q: How long is the refund window?\nA: Within 14 days of the first payment.',
    pairs: [],
    rejected: ['no JSON found in the model output'],
  },
  {
    name: 'prose with brackets and braces that are not JSON',
    output: 'I cannot create questions from [the document] because {it is empty}. See [1].',
    pairs: [],
    rejected: ['no JSON found in the model output'],
  },
  {
    name: 'numbers as answers, Python literals, // comments, nested "pairs" wrapper',
    output: '{"result": {"pairs": [\n  // first\n  {"question": "How many recovery codes does Lumen create?", "answer": 10, "verified": True},\n  {"question": "Who can reset an Owner\'s 2FA?", "answer": "Only another Owner.", "source": None}\n]}}',
    pairs: [P('How many recovery codes does Lumen create?', '10'), P("Who can reset an Owner's 2FA?", 'Only another Owner.')],
  },
  {
    name: 'a map of question to answer',
    output: '{"How long is the refund window?": "Within 14 days of the first payment."}',
    pairs: [refund],
  },
  {
    name: 'an object missing its answer, and a stray non-object item',
    output: '[{"question": "How long is the refund window?"}, "extra text", {"question": "How long do personal access tokens last?", "answer": "By default 90 days; at most 365 days."}]',
    pairs: [tokens],
    rejected: ['missing answer', 'not a question/answer object'],
  },
  {
    name: 'an unreadable object among good ones is reported, the good ones kept',
    output: '[{"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}, {"question": "Broken?", "answer": [1, 2}, {"question": "How long do personal access tokens last?", "answer": "By default 90 days; at most 365 days."}]',
    pairs: [refund, tokens],
    rejected: ['not readable as JSON'],
  },
  {
    name: 'a key written with = swallows into the question, which is then reported as missing its answer',
    output: '[{"question": "Broken?" "answer" = "x"}, {"question": "How long is the refund window?", "answer": "Within 14 days of the first payment."}]',
    pairs: [refund],
    rejected: ['missing answer'],
  },
];

describe('extractQAPairs', () => {
  test.each(cases)('$name', ({ output, pairs, rejected = [] }) => {
    const result = extractQAPairs(output);
    expect(result.pairs).toEqual(pairs);
    expect(result.rejected.map((r) => r.reason)).toEqual(rejected);
    for (const r of result.rejected) expect(r.text.length).toBeGreaterThan(0);
  });

  test('a rejected piece shows the text of the object it came from', () => {
    const { rejected } = extractQAPairs('[{"question": "", "answer": "x"}]');
    expect(rejected).toEqual([{ text: '{"question": "", "answer": "x"}', reason: 'empty question' }]);
    const cut = extractQAPairs('```json\n[{"question": "A?", "answer": "B"}, {"question": "C?", "ans');
    expect(cut.rejected).toEqual([{ text: '{"question": "C?", "ans', reason: 'truncated output: this object was cut off' }]);
  });

  test('the "no JSON" rejection carries the (shortened) output', () => {
    const long = 'I am sorry, '.repeat(100);
    const { rejected } = extractQAPairs(long);
    expect(rejected[0].text.length).toBeLessThanOrEqual(501);
    expect(extractQAPairs('').rejected).toEqual([{ text: '', reason: 'no JSON found in the model output' }]);
  });
});
