// Reading RAFT answers as models really write them.
import { describe, expect, test } from 'vitest';
import { answerSegments, extractQuotes, locateQuotes, parseFinalAnswer, writeCotAnswer } from '../../src/lib/core/raft/answer-format';

describe('extractQuotes', () => {
  test.each([
    ['clean', '##Reason: ##begin_quote##Refunds take 14 days.##end_quote## so. <ANSWER>: 14 days', ['Refunds take 14 days.']],
    ['two quotes', '##begin_quote##A.##end_quote## and ##begin_quote##B.##end_quote##', ['A.', 'B.']],
    ['spaced and upper-case markers', '## BEGIN_QUOTE ## Sync runs hourly. ## End_Quote ##', ['Sync runs hourly.']],
    ['unterminated before the answer', '##begin_quote##The free plan syncs 3 devices. <ANSWER>: 3', ['The free plan syncs 3 devices.']],
    ['unterminated at the end', 'so ##begin_quote##cut off mid', ['cut off mid']],
    ['a new quote before the old one closed', '##begin_quote##first ##begin_quote##second##end_quote##', ['first', 'second']],
    ['empty quote ignored', '##begin_quote####end_quote## <ANSWER>: x', []],
    ['no markers', 'The answer is 5. <ANSWER>: 5', []],
    ['space and hyphen separators', '##begin quote##Sync runs hourly.##end-quote## ##BEGIN-QUOTE##Twice.##END QUOTE##', ['Sync runs hourly.', 'Twice.']],
    ['a stray end marker before any quote', 'So ##end_quote## then ##begin_quote##A.##end_quote##', ['A.']],
    ['cut off by a special token', '##begin_quote##Refunds take 14 days.<|im_end|><|im_start|>user', ['Refunds take 14 days.']],
    ['end-of-sequence token inside the text', 'Yes.</s>##begin_quote##B.##end_quote##<eos>', ['B.']],
    ['whitespace-only quote ignored', '##begin_quote##  \n ##end_quote## <ANSWER>: x', []],
    ['newlines inside a quote kept', '##begin_quote##Line one.\nLine two.##end_quote##', ['Line one.\nLine two.']],
    ['an answer tag with the end marker still to come is quoted text', '##begin_quote##open <answer>: 5 ##end_quote##', ['open <answer>: 5']],
    ['a special token inside a closed quote is quoted text', '##begin_quote##Type <|im_start|> to start a turn.##end_quote## <ANSWER>: x', ['Type <|im_start|> to start a turn.']],
    ['a special token before a new quote ends the open one', '##begin_quote##A<|im_end|> ##begin_quote##B##end_quote##', ['A', 'B']],
    ['empty output', '', []],
  ])('%s', (_name, text, quotes) => {
    expect(extractQuotes(text)).toEqual(quotes);
  });
});

describe('parseFinalAnswer', () => {
  test.each([
    ['<ANSWER>: 14 days', '14 days'],
    ['reasoning\n<answer>:   30 days\n', '30 days'],
    ['<ANSWER> 7', '7'],
    ['first <ANSWER>: draft then <ANSWER>: final', 'final'],
    ['<ANSWER>: 3 devices<|im_end|>', '3 devices'],
    ['no final answer here', null],
    ['<ANSWER>:   ', null],
    ['<ANSWER>: 14 days\n<ANSWER>:', '14 days'],
    ['< Answer > : 14 days', '14 days'],
    ['**<ANSWER>:** 14 days', '14 days'],
    ['<ANSWER>: **14 days**', '14 days'],
    ['<ANSWER>14 days</ANSWER> and then more', '14 days'],
    ['<ANSWER>: 3 devices<|im_end|>\n<|im_start|>user\nThanks<|im_end|>', '3 devices'],
    ['<ANSWER>: 3 devices<|eot_id|>', '3 devices'],
    ['<|im_start|>assistant<ANSWER>: five</s>', 'five'],
    ['</ANSWER> only a closing tag', null],
    ['##begin_quote##Reply with <ANSWER>: and the answer.##end_quote## but no answer', null],
    ['##begin_quote##Reply with <ANSWER>: x##end_quote## <ANSWER>: y', 'y'],
    ['', null],
  ])('%j → %j', (text, answer) => {
    expect(parseFinalAnswer(text)).toBe(answer);
  });
});

test('quotes are located verbatim in the documents; a paraphrase is not', () => {
  const docs = ['Refunds are available within 14 days.', 'Annual plans: 30 days.'];
  expect(locateQuotes(['within 14 days', 'Annual plans', 'available in 14 days'], docs)).toEqual([
    { text: 'within 14 days', documentIndex: 0 },
    { text: 'Annual plans', documentIndex: 1 },
    { text: 'available in 14 days', documentIndex: null },
  ]);
});

test('what the builder writes, the reader reads back', () => {
  const text = writeCotAnswer({ sourceLabel: 'Refunds › Eligibility', quote: 'within 14 days', answer: '14 days' });
  expect(extractQuotes(text)).toEqual(['within 14 days']);
  expect(parseFinalAnswer(text)).toBe('14 days');
  // A document about chat formats may itself hold special tokens: its quote reads back whole, as the prompt shows it
  // (markers neutralised, so no tokenizer reads them as the turn's end).
  const quote = 'Each turn starts with <|im_start|> and ends with <|im_end|>.';
  const chat = writeCotAnswer({ sourceLabel: 'Chat templates', quote, answer: 'ChatML' });
  expect(extractQuotes(chat)).toEqual(['Each turn starts with ＜｜im_start｜＞ and ends with ＜｜im_end｜＞.']);
  expect(parseFinalAnswer(chat)).toBe('ChatML');
});

describe('answerSegments', () => {
  test('the parts concatenate back to the answer, and the n-th quote is the n-th extracted quote', () => {
    const text = '##Reason: ## begin_quote ##A b.##END_QUOTE## x ##begin_quote##C<ANSWER>: d<|im_end|>';
    const segments = answerSegments(text);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.map((s) => s.kind)).toEqual(['text', 'begin', 'quote', 'end', 'text', 'begin', 'quote', 'answer-tag', 'text', 'special']);
    const quotes = segments.flatMap((s) => (s.kind === 'quote' ? [[s.quote, s.text.trim()]] : []));
    expect(quotes).toEqual(extractQuotes(text).map((q, i) => [i, q]));
  });
  test('text without markers is one plain segment; empty text has none', () => {
    expect(answerSegments('just words')).toEqual([{ kind: 'text', text: 'just words' }]);
    expect(answerSegments('')).toEqual([]);
  });
});
