// The run's plots from its summary: answer quality per arm, speed per arm, and a metric against the
// number of distractors. The page and the report draw exactly these.
import { METRICS, QUALITY_METRICS, sweepSeries } from './aggregate';
import { barChart, lineChart } from './charts';
import type { MetricId, RunSummary } from './types';

export const CHART_TITLES = {
  quality: 'Answer quality per model (95% bootstrap intervals)',
  latency: 'Generation time per answer',
  tps: 'Decoding speed (tokens/s)',
  sweep: (metric: MetricId) => `${METRICS[metric].label} against the number of distractors`,
};

/** The quality metrics with at least one counted question in some arm (the judge only when it ran). */
export function shownQualityMetrics(summary: RunSummary): MetricId[] {
  return QUALITY_METRICS.filter((m) => m !== 'judge' || summary.arms.some((a) => a.metrics.judge.n > 0));
}

export function qualityChart(summary: RunSummary, id = 'ev-quality'): string {
  const metrics = shownQualityMetrics(summary);
  return barChart({
    id,
    title: CHART_TITLES.quality,
    description: `Bars per metric, one per model: ${summary.arms.map((a) => a.label).join('; ')}.`,
    series: summary.arms.map((a) => a.label),
    groups: metrics.map((m) => ({ label: METRICS[m].label, values: summary.arms.map((a) => (a.metrics[m].n ? a.metrics[m] : null)) })),
    kind: 'share',
  });
}

/** One bar per model, no legend (the quality chart's colours apply), half width so two sit side by side. */
export function speedChart(summary: RunSummary, metric: 'latency' | 'tps', id = `ev-${metric}`): string {
  return barChart({
    legend: false,
    width: 320,
    id,
    title: CHART_TITLES[metric],
    description: `${METRICS[metric].description} One bar per model.`,
    series: summary.arms.map((a) => a.label),
    groups: [{ label: METRICS[metric].label, values: summary.arms.map((a) => (a.metrics[metric].n ? a.metrics[metric] : null)) }],
    kind: METRICS[metric].kind,
  });
}

/** Whether the run swept the number of distractors (some model at two or more counts). */
export function hasSweep(summary: RunSummary): boolean {
  return sweepSeries(summary, 'f1').some((s) => s.points.length > 1);
}

export function sweepChart(summary: RunSummary, metric: MetricId, id = `ev-sweep-${metric}`): string {
  const series = sweepSeries(summary, metric).map((s) => ({
    label: s.label,
    colour: summary.arms.findIndex((a) => a.armId === s.points[0]?.armId),
    points: s.points.map((p) => ({ x: p.x, value: p.value })),
  }));
  return lineChart({
    id,
    title: CHART_TITLES.sweep(metric),
    description: `${METRICS[metric].label} of each model with retrieval, at each number of distractor documents in the context (mean per question).`,
    xLabel: 'distractor documents in the context (mean per question)',
    series,
    kind: METRICS[metric].kind,
  });
}
