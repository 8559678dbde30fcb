// How figures are written, once, for the page and the report alike (so a test can compare them as text).
import type { MetricKind } from './aggregate';
import type { MetricSummary, MissingAnswerPolicy } from './types';

/** A share as a percentage with one decimal, a time in ms or s, a rate in tokens/s; "—" when there is none. */
export function formatValue(value: number | null, kind: MetricKind): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (kind) {
    case 'share':
      return `${(value * 100).toFixed(1)}%`;
    case 'score':
      return value.toFixed(3);
    case 'ms':
      return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
    case 'rate':
      return `${value.toFixed(1)} tok/s`;
  }
}

/** "[41.2%, 63.0%]", or '' without an interval. */
export function formatInterval(summary: MetricSummary, kind: MetricKind): string {
  if (summary.low === null || summary.high === null) return '';
  return `[${formatValue(summary.low, kind)}, ${formatValue(summary.high, kind)}]`;
}

/** A difference of shares in percentage points, signed: "+12.5 pts"; "—" when there is none. */
export function formatDelta(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const points = value * 100;
  return `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)} pts`;
}

/** "[−3.1, +12.0]" in percentage points, or '' without an interval. */
export function formatDeltaInterval(summary: MetricSummary): string {
  if (summary.low === null || summary.high === null) return '';
  return `[${formatDelta(summary.low).replace(' pts', '')}, ${formatDelta(summary.high).replace(' pts', '')}]`;
}

/** The scoring rule in force, in words, for the form, the run, the results and the report. */
export function missingAnswerRule(policy: MissingAnswerPolicy): string {
  return policy === 'zero'
    ? 'Strict scoring: a reply without <ANSWER>: scores 0 for EM and F1.'
    : 'Lenient scoring: a reply without <ANSWER>: is scored whole for EM and F1 (an echo of the prompt can score).';
}
