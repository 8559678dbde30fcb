// The arena's overall line over both verdicts: who cited the oracle, who was distracted, who answered right.
import { describe, expect, test } from 'vitest';
import { overallLine, type ModelOutcome } from '../../src/lib/core/metrics/overall';

const base = (verdict: ModelOutcome['verdict'], finalAnswer: string | null = null): ModelOutcome => ({ name: 'base', verdict, finalAnswer });
const tuned = (verdict: ModelOutcome['verdict'], finalAnswer: string | null = null): ModelOutcome => ({ name: 'fine-tuned', verdict, finalAnswer });
const KNOWN = { oracleKnown: true, reference: 'Within 14 days of the first payment.' };

describe('overallLine', () => {
  test('the fine-tuned model cited the oracle and answered right; the base was distracted and answered wrong', () => {
    expect(overallLine([base('distracted', 'thirty minutes'), tuned('cited-oracle', 'within 14 days of the first payment')], KNOWN)).toBe(
      'Fine-tuned cited the oracle, base did not; base was distracted; base answered wrong (F1 0.00), fine-tuned answered right.',
    );
  });

  test('both, neither, and a partly right answer', () => {
    expect(overallLine([base('cited-oracle', '14 days'), tuned('cited-oracle', '14 days')], KNOWN)).toBe('Both cited the oracle; both answered partly right (F1 0.50).');
    expect(overallLine([base('distracted'), tuned('distracted')], KNOWN)).toBe('Neither cited the oracle; both were distracted; both wrote no final answer.');
    expect(overallLine([base('cited-oracle', '14 days'), tuned('no-quotes')], KNOWN)).toBe(
      'Base cited the oracle, fine-tuned did not; base answered partly right (F1 0.50), fine-tuned wrote no final answer.',
    );
  });

  test('one model alone is named, not "both" or "neither"', () => {
    expect(overallLine([tuned('no-quotes', 'Within 14 days of the first payment')], KNOWN)).toBe('Fine-tuned did not cite the oracle; fine-tuned answered right.');
  });

  test('a typed question: no oracle to judge and no reference to compare with', () => {
    expect(overallLine([base('quoted', 'x'), tuned('quoted', 'y')], { oracleKnown: false, reference: null })).toBe(
      'A typed question has no known oracle, so citations cannot be judged.',
    );
  });

  test('no line before any model has finished', () => {
    expect(overallLine([], KNOWN)).toBeNull();
  });
});
