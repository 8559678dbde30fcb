// Strict scoring by default (issue 14): a model that only echoes its prompt, with no <ANSWER>: line, earns no
// EM or F1 unless the user picks the lenient rule; the form, the results and the HTML report say which rule ran.
import { describe, expect, test } from 'vitest';
import { summariseRun } from '../../src/lib/core/eval/aggregate';
import { evalFiles } from '../../src/lib/core/eval/files';
import { missingAnswerRule } from '../../src/lib/core/eval/format';
import { buildEvalManifest } from '../../src/lib/core/eval/manifest';
import { buildArms, defaultEvalSettings } from '../../src/lib/core/eval/plan';
import { runEvaluation } from '../../src/lib/core/eval/runner';
import type { EvalRecord, EvalRun, EvalSettings } from '../../src/lib/core/eval/types';
import { EvaluationForm } from '../../src/lib/state/evaluation-form.svelte';
import { fakeRetrieve, QUESTIONS, result } from './eval-support';

/** A base model that repeats the question and the reference's words but never writes <ANSWER>:. */
async function echoRun(settings: EvalSettings): Promise<{ run: EvalRun; records: EvalRecord[] }> {
  const arms = buildArms(settings);
  const records: EvalRecord[] = [];
  await runEvaluation(
    { settings, arms, questions: QUESTIONS, done: new Set() },
    {
      retrieve: fakeRetrieve(),
      acquire: async () => async (messages) => result(`${messages.at(-1)!.content} Refunds within 14 days, annual plans 30 days.`),
      save: async (r) => void records.push(r),
    },
  );
  const manifest = buildEvalManifest({ chunks: [], questions: QUESTIONS, questionSource: { kind: 'test-split', name: 'test split' }, models: { base: { label: 'echo', key: 'k' } }, embedder: null });
  return { run: { id: 'r', createdAt: 1, updatedAt: 2, status: 'done', settings, arms, questions: QUESTIONS, manifest }, records };
}

const BASE_ONLY = { systems: [{ role: 'base' as const, retrieval: true }] };

describe('scoring a reply without <ANSWER>:', () => {
  test('by default (app form and core settings) it scores 0 for EM and F1; the lenient rule scores the whole reply', async () => {
    expect(defaultEvalSettings().missingAnswer).toBe('zero');
    const form = new EvaluationForm();
    expect(form.missingAnswer).toBe('zero');
    const fromForm = form.settings(defaultEvalSettings().template);
    expect('settings' in fromForm && fromForm.settings.missingAnswer).toBe('zero');

    const strict = await echoRun({ ...defaultEvalSettings(), ...BASE_ONLY });
    const s = summariseRun({ ...strict.run, records: strict.records }).arms[0].metrics;
    expect([s.em.mean, s.f1.mean, s.format.mean]).toEqual([0, 0, 0]);
    expect(strict.records.every((r) => r.score.from !== 'whole-reply')).toBe(true);

    const lenient = await echoRun({ ...defaultEvalSettings(), ...BASE_ONLY, missingAnswer: 'reply' });
    const l = summariseRun({ ...lenient.run, records: lenient.records }).arms[0].metrics;
    expect(l.f1.mean).toBeGreaterThan(0);
    expect(lenient.records.filter((r) => r.score.from === 'whole-reply')).toHaveLength(3);
  });

  test('the HTML report names the rule in force above the summary and in the settings', async () => {
    const strict = await echoRun({ ...defaultEvalSettings(), ...BASE_ONLY });
    const html = evalFiles(strict.run, strict.records).files['evaluation-report.html'];
    expect(html).toMatch(/<h2>Summary<\/h2>\n<p class="note" id="scoring-rule">Strict scoring: a reply without &lt;ANSWER&gt;: scores 0 for EM and F1\.<\/p>/);
    expect(html).toContain('<dt>Scoring</dt><dd>Strict scoring');

    const lenient = await echoRun({ ...defaultEvalSettings(), ...BASE_ONLY, missingAnswer: 'reply' });
    const lenientHtml = evalFiles(lenient.run, lenient.records).files['evaluation-report.html'];
    expect(lenientHtml).toContain('Lenient scoring: a reply without &lt;ANSWER&gt;: is scored whole');
    expect(lenientHtml).not.toContain('Strict scoring');
    expect(missingAnswerRule('zero')).not.toBe(missingAnswerRule('reply'));
  });
});
