// The training loss as a line chart (SVG text from core/charts): one point per optimizer step.
import { lineChart } from '../charts/line-chart';
import { niceScale } from '../charts/svg';

export function lossChart(losses: readonly number[]): string {
  const top = Math.max(...losses, 0.1);
  return lineChart({
    id: 'training-loss',
    title: 'Training loss',
    description: `Loss on the answer tokens at each of ${losses.length} steps, from ${losses[0]?.toFixed(3) ?? '–'} to ${losses.at(-1)?.toFixed(3) ?? '–'}.`,
    xLabel: 'step',
    series: [{ name: 'loss', tone: 'accent', points: losses.map((value, i) => ({ x: i + 1, value, tip: `step ${i + 1}: ${value.toFixed(4)}` })) }],
    scale: niceScale(top),
    tickLabel: (v) => v.toFixed(1),
  });
}
