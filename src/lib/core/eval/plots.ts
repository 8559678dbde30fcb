// The run's plots from its summary: answer quality per arm, speed per arm, and a metric against the
// number of distractors, drawn by the shared chart module (core/charts). The page and the report draw
// exactly these.
import { barChart } from '../charts/bar-chart';
import { lineChart } from '../charts/line-chart';
import { niceScale, type Scale } from '../charts/svg';
import { METRICS, QUALITY_METRICS, sweepSeries, type MetricKind } from './aggregate';
import { formatInterval, formatValue } from './format';
import type { MetricId, MetricSummary, RunSummary } from './types';

export const CHART_TITLES = {
  quality: 'Answer quality per model (95% bootstrap intervals)',
  latency: 'Generation time per answer',
  tps: 'Decoding speed (tokens/s)',
  sweep: (metric: MetricId) => `${METRICS[metric].label} against the number of distractors`,
};

/** Shares and scores run 0..1; times and rates up to a round value over the highest interval. */
function yScale(kind: MetricKind, values: MetricSummary[]): Scale {
  if (kind === 'share' || kind === 'score') return { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  return niceScale(Math.max(0, ...values.map((v) => v.high ?? v.mean ?? 0)));
}

function tickLabel(kind: MetricKind): (value: number) => string {
  if (kind === 'share') return (v) => `${Math.round(v * 100)}%`;
  if (kind === 'score') return (v) => v.toFixed(2);
  if (kind === 'ms') return (v) => (v >= 1000 ? `${v / 1000} s` : `${v} ms`);
  return (v) => String(Math.round(v * 10) / 10);
}

/** A summary as a bar: its mean, its interval and "50.0% [25.0%, 75.0%] (n = 4)"; none without a figure. */
function bar(summary: MetricSummary, kind: MetricKind) {
  if (!summary.n || summary.mean === null) return null;
  return { value: summary.mean, low: summary.low, high: summary.high, text: `${formatValue(summary.mean, kind)} ${formatInterval(summary, kind)} (n = ${summary.n})` };
}

/** The quality metrics with at least one counted question in some arm (the judge only when it ran). */
export function shownQualityMetrics(summary: RunSummary): MetricId[] {
  return QUALITY_METRICS.filter((m) => m !== 'judge' || summary.arms.some((a) => a.metrics.judge.n > 0));
}

/** One series per arm; its index is its colour everywhere (table swatches, bars, lines). */
const armSeries = (summary: RunSummary) => summary.arms.map((a, i) => ({ name: a.label, tone: i }));

export function qualityChart(summary: RunSummary, id = 'ev-quality'): string {
  const metrics = shownQualityMetrics(summary);
  return barChart({
    id,
    title: CHART_TITLES.quality,
    description: `Bars per metric, one per model: ${summary.arms.map((a) => a.label).join('; ')}.`,
    series: armSeries(summary),
    groups: metrics.map((m) => ({ label: METRICS[m].label, values: summary.arms.map((a) => bar(a.metrics[m], 'share')) })),
    scale: yScale('share', []),
    tickLabel: tickLabel('share'),
  });
}

/** One bar per model, no legend (the quality chart's colours apply), half width so two sit side by side. */
export function speedChart(summary: RunSummary, metric: 'latency' | 'tps', id = `ev-${metric}`): string {
  const kind = METRICS[metric].kind;
  return barChart({
    legend: false,
    width: 320,
    id,
    title: CHART_TITLES[metric],
    description: `${METRICS[metric].description} One bar per model.`,
    series: armSeries(summary),
    groups: [{ label: METRICS[metric].label, values: summary.arms.map((a) => bar(a.metrics[metric], kind)) }],
    scale: yScale(
      kind,
      summary.arms.map((a) => a.metrics[metric]),
    ),
    tickLabel: tickLabel(kind),
  });
}

/** Whether the run swept the number of distractors (some model at two or more counts). */
export function hasSweep(summary: RunSummary): boolean {
  return sweepSeries(summary, 'f1').some((s) => s.points.length > 1);
}

export function sweepChart(summary: RunSummary, metric: MetricId, id = `ev-sweep-${metric}`): string {
  const kind = METRICS[metric].kind;
  const sweep = sweepSeries(summary, metric);
  const series = sweep.map((s) => ({
    name: s.label,
    tone: summary.arms.findIndex((a) => a.armId === s.points[0]?.armId),
    points: s.points
      .filter((p) => p.value.mean !== null)
      .map((p) => ({
        x: p.x,
        value: p.value.mean!,
        low: p.value.low,
        high: p.value.high,
        tip: `${s.label}, +${p.x} distractors (${p.meanDistractors.toFixed(1)} distractor documents in the context on average): ${formatValue(p.value.mean, kind)} ${formatInterval(p.value, kind)} (n = ${p.value.n})`,
      })),
  }));
  return lineChart({
    id,
    title: CHART_TITLES.sweep(metric),
    description: `${METRICS[metric].label} of each model with retrieval, at each number of extra distractors added to the retrieved documents (the +N in each run's name).`,
    // NOTE: the axis counts what the run set (+N), as the run labels do; the mean in the context is in each tooltip.
    xLabel: 'extra distractors added to the k retrieved documents (the +N in each run’s name)',
    xTickLabel: (v) => `+${v}`,
    series,
    scale: yScale(
      kind,
      sweep.flatMap((s) => s.points.map((p) => p.value)),
    ),
    tickLabel: tickLabel(kind),
  });
}
