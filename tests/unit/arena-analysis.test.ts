// The arena's reading of real-looking, messy model output: quotes checked verbatim against the documents
// the model was shown, the final answer, and the one-line verdict a user sees per answer.
import { describe, expect, test } from 'vitest';
import { analyseAnswer, answerVerdict, quotedSpans, spanningDocuments, type VerdictKind } from '../../src/lib/core/metrics/citations';

// As chunks of the sample wiki read: an oracle and two near-duplicate distractors.
const DOCS = [
  'Annual plans can be fully refunded within 30 days of the purchase or of an annual renewal.',
  'Refunds for monthly plans are available within 14 days of the first payment of a new subscription.\nAfter that, monthly payments are not refundable.',
  'Education plans: a full refund is available within 45 days of the purchase.',
];
const ORACLE = [false, true, false];
const ORACLE_QUOTE = 'Refunds for monthly plans are available within 14 days of the first payment of a new subscription.';

interface Case {
  name: string;
  output: string;
  verdict: VerdictKind;
  answer: string | null;
  /** Documents of each quote (verbatim), in order. */
  documents?: number[][];
  fidelity?: number | null;
}

const CASES: Case[] = [
  {
    name: 'a clean RAFT answer',
    output: `##Reason: The document says ##begin_quote##${ORACLE_QUOTE}##end_quote## so it is two weeks. <ANSWER>: 14 days`,
    verdict: 'cited-oracle',
    answer: '14 days',
    documents: [[1]],
    fidelity: 1,
  },
  {
    name: 'unterminated quote cut off by the token limit',
    output: '##Reason: ##begin_quote##Refunds for monthly plans are available within 14 da',
    verdict: 'cited-oracle',
    answer: null,
    documents: [[1]],
  },
  {
    name: 'unterminated quote closed by the answer tag',
    output: '##begin_quote##Annual plans can be fully refunded within 30 days <ANSWER>: 30 days',
    verdict: 'distracted',
    answer: '30 days',
    documents: [[0]],
  },
  {
    name: 'marker variants in upper case with spaces',
    output: '## BEGIN_QUOTE ## After that, monthly payments are not refundable. ## End Quote ## <answer> : no',
    verdict: 'cited-oracle',
    answer: 'no',
    documents: [[1]],
  },
  {
    name: 'a quote copied across two documents',
    output: '##begin_quote##of a new subscription.\nAfter that, monthly payments are not refundable.</DOCUMENT>\n<DOCUMENT>Education plans: a full refund##end_quote## <ANSWER>: 14 days',
    verdict: 'not-in-documents',
    answer: '14 days',
    documents: [[]],
    fidelity: 0,
  },
  {
    name: 'whitespace and case differ from the document',
    output: '##begin_quote##refunds for monthly plans are available within 14 days of the first payment of a new subscription. After that##end_quote## <ANSWER>: 14 days',
    verdict: 'not-in-documents',
    answer: '14 days',
    documents: [[]],
  },
  {
    name: 'a quote in quotation marks',
    output: `##begin_quote##“${ORACLE_QUOTE}”##end_quote## <ANSWER>: 14 days`,
    verdict: 'cited-oracle',
    answer: '14 days',
    documents: [[1]],
  },
  {
    name: 'several answer tags: the last one with text wins',
    output: `##begin_quote##${ORACLE_QUOTE}##end_quote## <ANSWER>: 30 days. Wait, no. <ANSWER>: 14 days\n<ANSWER>:`,
    verdict: 'cited-oracle',
    answer: '14 days',
  },
  {
    name: 'special tokens left in, then a hallucinated next turn',
    output: `##begin_quote##${ORACLE_QUOTE}<|im_end|>\n<|im_start|>assistant\n<ANSWER>: 14 days<|im_end|>\n<|im_start|>user\nThanks!`,
    verdict: 'cited-oracle',
    answer: '14 days',
    documents: [[1]],
  },
  {
    name: 'an oracle quote and a distractor quote',
    output: '##begin_quote##within 14 days##end_quote## but ##begin_quote##within 30 days##end_quote## <ANSWER>: 14 days',
    verdict: 'cited-oracle',
    answer: '14 days',
    documents: [[1], [0]],
  },
  {
    name: 'a paraphrase next to a verbatim distractor quote',
    output: '##begin_quote##Refunds take two weeks.##end_quote## ##begin_quote##within 45 days of the purchase##end_quote## <ANSWER>: 45 days',
    verdict: 'distracted',
    answer: '45 days',
    documents: [[], [2]],
    fidelity: 0.5,
  },
  { name: 'no quotes, only an answer', output: 'Two weeks, I think. <ANSWER>: 14 days', verdict: 'no-quotes', answer: '14 days', fidelity: null },
  { name: 'random tokens from an untrained model', output: 'ĠtheĠ##Ġ<ANS beginquote ## ##', verdict: 'no-quotes', answer: null },
  { name: 'empty output', output: '', verdict: 'empty', answer: null, fidelity: null },
];

describe.each(CASES)('$name', ({ output, verdict, answer, documents, fidelity }) => {
  const analysis = analyseAnswer(output, DOCS, ORACLE);
  test('final answer', () => expect(analysis.finalAnswer).toBe(answer));
  test('verdict', () => expect(answerVerdict(analysis, { oracleKnown: true, oracle: ORACLE, empty: output.trim() === '' }).kind).toBe(verdict));
  if (documents) test('documents of each quote', () => expect(analysis.quotes.map((q) => q.documentIndexes)).toEqual(documents));
  if (fidelity !== undefined) test('quote fidelity', () => expect(analysis.quoteFidelity).toBe(fidelity));
});

describe('the verdict in words', () => {
  const verdict = (output: string, oracleKnown = true, oracle = ORACLE) =>
    answerVerdict(analyseAnswer(output, DOCS, oracle), { oracleKnown, oracle, empty: output.trim() === '' });

  test('the lines a user reads', () => {
    expect(verdict(`##begin_quote##${ORACLE_QUOTE}##end_quote##`)).toMatchObject({ line: 'cited the oracle', tone: 'good', details: ['Quoted document 2 (oracle).'] });
    expect(verdict('##begin_quote##within 30 days##end_quote##')).toMatchObject({ line: 'distracted: quoted only distractors', tone: 'bad' });
    expect(verdict('<ANSWER>: 14 days').line).toBe('no quotes');
    expect(verdict('##begin_quote##Refunds take two weeks.##end_quote##').line).toBe('quote not in any document');
    expect(verdict('').line).toBe('no answer: the model wrote nothing');
  });
  test('a distractor quote when the oracle was removed says the oracle was missing', () => {
    const v = verdict('##begin_quote##within 30 days##end_quote##', true, [false, false, false]);
    expect(v.kind).toBe('distracted');
    expect(v.details[0]).toBe('Quoted document 1: the oracle was not among the documents.');
  });
  test('a retrieved document that also holds the answer is not a distractor: quoting it is not being distracted', () => {
    const answerBearing = [true, false, false];
    const analysis = analyseAnswer('##begin_quote##within 30 days##end_quote## <ANSWER>: 30 days', DOCS, ORACLE, answerBearing);
    expect(analysis.distracted).toBe(false);
    expect(analysis.citedOracle).toBe(false);
    const v = answerVerdict(analysis, { oracleKnown: true, oracle: ORACLE, answerBearing, empty: false });
    expect(v).toMatchObject({ kind: 'quoted', line: 'quoted document 1, which also holds the answer', tone: 'good' });
    // The same quote from an unmarked document is still a distraction.
    expect(analyseAnswer('##begin_quote##within 45 days##end_quote##', DOCS, ORACLE, answerBearing).distracted).toBe(true);
  });
  test('a free question has no known oracle: the verdict names the documents without judging', () => {
    const v = verdict('##begin_quote##within 30 days##end_quote## ##begin_quote##within 45 days##end_quote##', false, [false, false, false]);
    expect(v).toMatchObject({ kind: 'quoted', line: 'quoted documents 1 and 3', tone: 'neutral' });
  });
  test('details explain quotes that are not verbatim', () => {
    const spanning = verdict('##begin_quote##not refundable.\n<DOCUMENT>Education plans##end_quote##');
    expect(spanning.details.join(' ')).toContain('runs across documents 2 and 3, verbatim in neither');
    const near = verdict('##begin_quote##REFUNDS FOR MONTHLY PLANS are available##end_quote## ##begin_quote##within 14 days##end_quote##');
    expect(near.kind).toBe('cited-oracle');
    expect(near.details).toContain('1 of 2 quotes is not in any document.');
    expect(near.details.join(' ')).toContain('matches document 2 only with different case, spacing or punctuation');
  });
});

describe('quotes across documents', () => {
  test('found only when the head ends one document and the tail starts the next', () => {
    expect(spanningDocuments('not refundable. Education plans: a full', DOCS)).toEqual([1, 2]);
    expect(spanningDocuments('not refundable.</DOCUMENT>\n<DOCUMENT>Education', DOCS)).toEqual([1, 2]);
    expect(spanningDocuments('not refundable. Annual plans', DOCS)).toBeNull(); // document 1 comes before, not after
    expect(spanningDocuments('refundable. Something else', DOCS)).toBeNull();
    expect(spanningDocuments('', DOCS)).toBeNull();
  });
});

describe('quoted spans of a document', () => {
  const text = 'Refunds take 14 days. Annual plans take 30 days.';
  test('each answer’s quotes are marked with their owner; overlaps carry both; the text is kept whole', () => {
    const spans = quotedSpans(text, [
      { owner: 'base', quotes: ['Refunds take 14 days.'] },
      { owner: 'tuned', quotes: ['14 days. Annual', 'missing'] },
    ]);
    expect(spans).toEqual([
      { text: 'Refunds take ', owners: ['base'] },
      { text: '14 days.', owners: ['base', 'tuned'] },
      { text: ' Annual', owners: ['tuned'] },
      { text: ' plans take 30 days.', owners: [] },
    ]);
    expect(spans.map((s) => s.text).join('')).toBe(text);
  });
  test('every occurrence is marked; no quotes leave one plain span', () => {
    expect(quotedSpans('a days b days', [{ owner: 'base', quotes: ['days'] }]).filter((s) => s.owners.length).length).toBe(2);
    expect(quotedSpans(text, [])).toEqual([{ text, owners: [] }]);
    expect(quotedSpans('', [{ owner: 'base', quotes: ['x'] }])).toEqual([{ text: '', owners: [] }]);
  });
});
