// Which chunks may be distractors: not one holding the answer, the oracle's quote, or a near-copy of the oracle.
import { describe, expect, test } from 'vitest';
import { distractorCheck, holdsAnswer, nearCopyShare } from '../../src/lib/core/raft/distractor-check';

const E413 = 'E-413: Attachment too large\nThe file is bigger than your plan allows: 25 MB on Free and 250 MB on paid plans. Compress the file or link to it instead.';
const ORACLE =
  'Eligibility\nRefunds for monthly plans are available within 14 days of the first payment. Annual plans follow their own rules, described on the annual billing page. Money goes back to the card you paid with, usually within a week.';

describe('holdsAnswer', () => {
  test('the answer written otherwise in a chunk: every number there and most of its words in order', () => {
    expect(holdsAnswer(E413, '25 MB per file on Free; 250 MB per file on paid plans.')).toBe(true);
    expect(holdsAnswer('- Deprecated: API v1. It will be switched off on 30 June 2026.', 'On 30 June 2026.')).toBe(true);
    expect(holdsAnswer('- **E-517: Export already running.** A workspace export is in progress.', 'Error E-517.')).toBe(true);
  });

  test('the same words around another number are another fact, not the answer', () => {
    expect(holdsAnswer('Annual plans can be refunded in full within 30 days of the purchase.', 'A full refund within 45 days of the purchase.')).toBe(false);
    expect(holdsAnswer(E413.replace('250 MB', '100 MB'), '25 MB per file on Free; 250 MB per file on paid plans.')).toBe(false);
  });

  test('case, punctuation and articles do not matter; answers without numbers need most of their words', () => {
    expect(holdsAnswer('Export as MARKDOWN, and PDF; but not HTML!', 'Markdown and PDF, but not HTML.')).toBe(true);
    expect(holdsAnswer('The archive holds Markdown files and a PDF of each note.', 'Markdown and PDF, but not HTML.')).toBe(false);
  });

  test('answers under three words count only when asked (examples without oracle), and only word for word', () => {
    const text = 'Links to a workspace export expire after 14 days.';
    expect(holdsAnswer(text, '14 days')).toBe(false);
    expect(holdsAnswer(text, '14 days', { anyLength: true })).toBe(true);
    expect(holdsAnswer(text, '140 days', { anyLength: true })).toBe(false);
    expect(holdsAnswer('Did it work? Yes, it did.', 'Yes.', { anyLength: true })).toBe(true);
    expect(holdsAnswer('Yesterday it worked.', 'Yes.', { anyLength: true })).toBe(false);
    expect(holdsAnswer('anything', '  ', { anyLength: true })).toBe(false);
  });
});

describe('distractorCheck', () => {
  const check = distractorCheck({
    answer: 'Two weeks after the first payment.',
    quotes: ['Refunds for monthly plans are available within 14 days of the first payment.', '14 days'],
    oracleTexts: [ORACLE],
  });

  test('a chunk repeating the quote as whole words (case, spacing, punctuation and emphasis aside) is left out as "quote"', () => {
    expect(check('Summary\nAs a reminder, REFUNDS for  monthly plans are *available* within 14 days of the first payment!')).toBe('quote');
    const partial = distractorCheck({ answer: '', quotes: ['in 14 days of the first payment'], oracleTexts: [] });
    expect(partial('Refunds are available within 14 days of the first payment.')).toBeNull(); // "within", not "in"
    expect(partial('Refunds are paid in 14 days of the first payment.')).toBe('quote');
  });

  test('an edited copy of the oracle is a near-copy; one that changes the answer\u2019s number is a distractor', () => {
    const copy = ORACLE.replace('the first payment', 'your first payment');
    expect(nearCopyShare(ORACLE, copy)).toBeGreaterThan(0.9);
    expect(check(copy)).toBe('near-copy');
    const numbered = distractorCheck({ answer: 'Within 14 days of the first payment.', quotes: [], oracleTexts: [ORACLE] });
    expect(numbered(copy)).toBe('answer');
    const annual = copy.replace('monthly plans', 'annual plans').replace('14 days', '30 days');
    expect(numbered(annual)).toBeNull();
  });

  test('a sibling section from the same template with other values shares words but not word pairs: it stays', () => {
    const sibling = 'Section 1\nTopic 3 fact 1: the limit for item 3-1 is 31 units. Other words follow here.';
    const oracle = 'Section 2\nTopic 3 fact 2: the limit for item 3-2 is 32 units. Other words follow here.';
    expect(nearCopyShare(oracle, sibling)).toBeLessThan(0.8);
    expect(distractorCheck({ answer: '32 units', quotes: ['Topic 3 fact 2'], oracleTexts: [oracle] })(sibling)).toBeNull();
  });

  test('an unrelated chunk, a short quote, and a short answer are no reason to leave a chunk out', () => {
    expect(check('Devices\nThe free plan syncs up to 3 devices.')).toBeNull();
    expect(check('Refunds are paid in 14 days.')).toBeNull(); // the quote "14 days" is under three words
    expect(distractorCheck({ answer: '14 days', quotes: [], oracleTexts: [] })('Links expire after 14 days.')).toBeNull();
    expect(distractorCheck({ answer: '14 days', quotes: [], oracleTexts: [] }, { anyLength: true })('Links expire after 14 days.')).toBe('answer');
  });

  test('the answer is reported before the quote and the copy', () => {
    const both = distractorCheck({ answer: 'Within 14 days of the first payment.', quotes: ['Refunds for monthly plans are available within 14 days of the first payment.'], oracleTexts: [ORACLE] });
    expect(both(ORACLE)).toBe('answer');
  });
});
