// The "metric against the number of distractors" plot counts what the run labels count: the extra distractors
// (+0, +2) the user set, not the mean of every non-oracle document in the context (4.1, 6.1).
import { describe, expect, test } from 'vitest';
import { sweepSeries } from '../../src/lib/core/eval/aggregate';
import { sweepChart } from '../../src/lib/core/eval/plots';
import type { ArmSummary, MetricId, MetricSummary, RunSummary } from '../../src/lib/core/eval/types';

const METRIC_IDS: MetricId[] = ['em', 'f1', 'citation', 'fidelity', 'distracted', 'format', 'judge', 'latency', 'tps'];

function arm(role: 'base' | 'tuned', extra: number, meanDistractors: number, f1: number): ArmSummary {
  const value = (mean: number): MetricSummary => ({ mean, low: mean - 0.1, high: mean + 0.1, n: 10 });
  const metrics = Object.fromEntries(METRIC_IDS.map((id) => [id, value(id === 'f1' ? f1 : 0.5)])) as ArmSummary['metrics'];
  const name = role === 'base' ? 'Base model' : 'Fine-tuned model';
  return { armId: `${role}@k5+${extra}`, label: `${name}, +${extra} distractors`, role, retrieval: true, extraDistractors: extra, answered: 10, meanDistractors, metrics };
}

const summary: RunSummary = {
  arms: [arm('base', 0, 4.1, 0.4), arm('base', 2, 6.1, 0.3), arm('tuned', 0, 4.1, 0.8), arm('tuned', 2, 6.1, 0.7)],
  retrieval: null,
  comparisons: [],
};

describe('sweep plot axis', () => {
  test('x is the +N of the run labels, ticks read "+0" and "+2", and the axis says what it counts', () => {
    expect(sweepSeries(summary, 'f1').map((s) => s.points.map((p) => p.x))).toEqual([
      [0, 2],
      [0, 2],
    ]);
    const svg = sweepChart(summary, 'f1');
    expect(svg).toContain('>+0</text>');
    expect(svg).toContain('>+2</text>');
    expect(svg).not.toMatch(/>(4\.1|6\.1)<\/text>/);
    expect(svg).toContain('extra distractors added to the k retrieved documents');
  });

  test('the tooltip gives both: the +N and the mean distractor documents in the context', () => {
    const svg = sweepChart(summary, 'f1');
    expect(svg).toContain('<title>Fine-tuned model, +2 distractors (6.1 distractor documents in the context on average)');
  });
});
