import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { detectFormat, parseImport } from '../../src/lib/core/questions';
import { questionFiles, questionRow } from '../support/question-files';

const jsonl = (...lines: string[]) => lines.join('\n');

describe('parseImport: JSONL', () => {
  test('the sample wiki questions parse into 200 rows without errors, each with its split (106 test, 94 train)', () => {
    const text = readFileSync('public/sample-wiki/questions.jsonl', 'utf8');
    const { format, rows, errors } = parseImport(text, 'questions.jsonl');
    expect(format).toBe('jsonl');
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(200);
    expect(rows[0]).toMatchObject({ line: 1, article: 'billing/refund-policy.md', tags: [], split: 'test' });
    expect(rows.every((r) => r.question && r.answer && r.quote)).toBe(true);
    expect(rows.filter((r) => r.split === 'test')).toHaveLength(106);
    expect(rows.filter((r) => r.split === 'train')).toHaveLength(94);
  });

  test('malformed lines are reported with their line numbers and the good lines are kept', () => {
    const text = jsonl(
      '{"question": "Q1?", "answer": "A1", "chunk_id": "c_1"}',
      '',
      '{"question": "Q2?", "answer": "A2"',
      '   ',
      '{"question": "Q3?", "answer": "A3", "article": "faq"}',
      'not json at all',
      '["an", "array"]',
      '{"question": "   ", "answer": "blank question"}',
      '{"answer": "no question"}',
      '{"question": "Q4?"}\r',
    );
    const { rows, errors } = parseImport(text, 'x.jsonl');
    expect(rows.map((r) => [r.line, r.question])).toEqual([
      [1, 'Q1?'],
      [5, 'Q3?'],
      [10, 'Q4?'],
    ]);
    expect(errors.map((e) => e.line)).toEqual([3, 6, 7, 8, 9]);
    expect(errors[0].message).toMatch(/^not valid JSON/);
    expect(errors[2].message).toMatch(/not a JSON object/);
    expect(errors[3].message).toBe('empty question');
    expect(errors[4].message).toBe('no question field');
  });

  test('field names, feedback, split, tags and chunk ids are read in all accepted forms', () => {
    const text = jsonl(
      '{"question": "a", "chunkId": "c_1", "feedback": "up", "split": "Train", "tags": ["billing", " refunds ", "billing"]}',
      '{"question": "b", "chunk_ids": ["c_1", "c_2"], "feedback": -1, "tags": "api, #limits"}',
      '{"question": "c", "chunk_id": "c_3", "feedback": "👍🏽"}',
      '{"question": "d", "article": "billing/refund-policy.md", "quote": "14 days", "feedback": "+1", "split": "test"}',
      '{"question": "e", "feedback": "👎"}',
      '{"question": "f", "feedback": "meh", "split": "holdout", "answer": 42}',
    );
    const { rows, errors } = parseImport(text, 'x.jsonl');
    expect(rows.map(({ line: _line, ...r }) => r)).toEqual([
      { question: 'a', chunkIds: ['c_1'], feedback: 1, split: 'train', tags: ['billing', 'refunds'] },
      { question: 'b', chunkIds: ['c_1', 'c_2'], feedback: -1, tags: ['api', 'limits'] },
      { question: 'c', chunkIds: ['c_3'], feedback: 1, tags: [] },
      { question: 'd', article: 'billing/refund-policy.md', quote: '14 days', feedback: 1, split: 'test', tags: [] },
      { question: 'e', feedback: -1, tags: [] },
      { question: 'f', answer: '42', tags: [] },
    ]);
    expect(errors).toEqual([
      { line: 6, message: 'feedback "meh" not understood (use up/down, 1/-1 or 👍/👎); ignored' },
      { line: 6, message: 'split "holdout" not understood (use train or test); ignored' },
    ]);
  });
});

describe('parseImport: JSON', () => {
  test('an array of objects, each row with the line its object starts on', () => {
    const text = '[\n  {"question": "Q1?", "answer": "A1", "tags": ["x", "y"]},\n  {\n    "question": "Q2 with a \\"quote\\" and [brackets] {braces}?",\n    "answer": "A2"\n  },\n  "stray string",\n  {"question": ""}\n]';
    const { format, rows, errors } = parseImport(text, 'questions.json');
    expect(format).toBe('json');
    expect(rows.map((r) => [r.line, r.question])).toEqual([
      [2, 'Q1?'],
      [3, 'Q2 with a "quote" and [brackets] {braces}?'],
    ]);
    expect(errors).toEqual([
      { line: 7, message: 'not a JSON object: expected {"question": ..., "answer": ..., ...}' },
      { line: 8, message: 'empty question' },
    ]);
  });

  test('a {"questions": [...]} wrapper, even with other arrays before it', () => {
    const text = '{\n  "meta": {"tags": ["a"]},\n  "notes": [1, 2],\n  "questions": [\n    {"question": "Q1?"},\n    {"question": "Q2?"}\n  ]\n}';
    const { format, rows } = parseImport(text, 'export.json');
    expect(format).toBe('json');
    expect(rows.map((r) => [r.line, r.question])).toEqual([
      [5, 'Q1?'],
      [6, 'Q2?'],
    ]);
  });

  test('invalid JSON is reported at the line where parsing failed; other shapes are explained', () => {
    const broken = parseImport('[\n  {"question": "Q1?"},\n  {"question": "Q2?",}\n]', 'q.json');
    expect(broken.rows).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0].line).toBe(3);
    expect(parseImport('{"items": []}', 'q.json').errors[0].message).toMatch(/expected an array/);
    expect(parseImport('\ufeff  \n', 'q.json').errors).toEqual([{ line: 1, message: 'the file is empty' }]);
  });
});

describe('parseImport: CSV', () => {
  test('quoted commas, doubled quotes, line breaks inside quotes, CRLF and a BOM', () => {
    const text =
      '\ufeffquestion,answer,article,quote,tags\r\n' +
      '"Can I get a refund, and how?","Yes, within ""14 days"".",billing/refund-policy.md,"Refunds for monthly plans",billing\r\n' +
      '"A question\r\nover two lines?",Answer,faq,,"a, b"\r\n' +
      '\r\n' +
      'Plain question?,Plain answer,faq,,\r\n';
    const { format, rows, errors } = parseImport(text, 'questions.csv');
    expect(format).toBe('csv');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, question: 'Can I get a refund, and how?', answer: 'Yes, within "14 days".', article: 'billing/refund-policy.md', quote: 'Refunds for monthly plans', tags: ['billing'] },
      { line: 3, question: 'A question\r\nover two lines?', answer: 'Answer', article: 'faq', tags: ['a', 'b'] },
      { line: 6, question: 'Plain question?', answer: 'Plain answer', article: 'faq', tags: [] },
    ]);
  });

  test('header names are matched loosely and a semicolon delimiter is detected', () => {
    const text = 'Question;Answer;Chunk ID;Feedback\nHow many?;Ten;c_1 c_2;down\n';
    const { rows, errors } = parseImport(text, 'excel.csv');
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ line: 2, question: 'How many?', answer: 'Ten', chunkIds: ['c_1', 'c_2'], feedback: -1, tags: [] }]);
  });

  test('a header without a question column, rows with too many fields, empty questions, unterminated quotes', () => {
    expect(parseImport('q_text,answer\nx,y\n', 'a.csv').errors).toEqual([{ line: 1, message: 'the header row has no "question" column (found: q_text, answer)' }]);
    const text = 'question,answer\nok?,fine\nsplit, by, commas\n,no question\ntrailing?,commas,,\nlast?,"never closed\nmore\n';
    const { rows, errors } = parseImport(text, 'a.csv');
    expect(rows.map((r) => [r.line, r.question])).toEqual([
      [2, 'ok?'],
      [5, 'trailing?'],
    ]);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 6]);
    expect(errors[0].message).toMatch(/3 fields but the header has 2 .*double quotes/);
    expect(errors[1].message).toBe('empty question');
    expect(errors[2].message).toMatch(/unterminated quoted field/);
  });
});

describe('detectFormat', () => {
  test.each([
    ['q.csv', '{"question": "x"}', 'csv'],
    ['q.txt', '[{"question": "x"}]', 'json'],
    ['q.json', '{"question": "a"}\n{"question": "b"}', 'jsonl'],
    ['q.jsonl', '{\n "questions": [{"question": "a"}]\n}', 'json'],
    ['q.jsonl', '', 'jsonl'],
    ['', 'question,answer\nx,y', 'csv'],
    ['q.ndjson', '\ufeff\n{"question": "a"}', 'jsonl'],
  ])('%s %j → %s', (name, text, expected) => {
    expect(detectFormat(name, text)).toBe(expected);
  });
});

// Functional only: how fast these parse is a figure of `npm run bench -- --only questions`, never judged here.
describe('parseImport: a 10 MB file', () => {
  const files = questionFiles(10 * 1024 * 1024);

  test.each(Object.keys(files) as (keyof typeof files)[])('%s: every row parses, the last one intact', (format) => {
    const { text, count } = files[format];
    const { rows, errors } = parseImport(text, `big.${format}`);
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(count);
    const last = questionRow(count - 1);
    expect(rows[count - 1]).toMatchObject({ question: last.question, answer: last.answer, article: last.article, quote: last.quote, tags: last.tags });
  });
});
