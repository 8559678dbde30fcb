// Writes a run's results: bench/results/latest.json and latest.md (a Markdown table), after copying
// the previous latest.json to bench/results/<its ISO timestamp>.json so earlier runs are kept.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Figure } from './harness';

export interface CaseOutcome {
  name: string;
  wallSeconds: number;
  figures: Figure[];
  /** Set when the case crashed: its message and stack. */
  error?: string;
}

export interface RunResults {
  started: string;
  mode: 'full' | 'quick';
  only: string[] | null;
  embedder: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; platform: string };
  wallSeconds: number;
  cases: CaseOutcome[];
}

export async function saveResults(dir: string, results: RunResults): Promise<{ json: string; md: string; archived: string | null }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const md = join(dir, 'latest.md');
  let archived: string | null = null;
  const previous = await readFile(json, 'utf8').catch(() => null);
  if (previous) {
    const started = (JSON.parse(previous) as Partial<RunResults>).started ?? new Date().toISOString();
    archived = join(dir, `${started.replace(/:/g, '-')}.json`);
    await copyFile(json, archived);
  }
  await writeFile(json, JSON.stringify(results, null, 2) + '\n');
  await writeFile(md, markdown(results));
  return { json, md, archived };
}

/** The results as one Markdown table, with the run's settings above it. */
export function markdown(results: RunResults): string {
  const { machine } = results;
  const lines = [
    `Run ${results.started} (${results.mode}${results.only ? `, only ${results.only.join(', ')}` : ''}), ${results.wallSeconds.toFixed(0)} s wall.`,
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGB} GB, Node ${machine.node} (${machine.platform}). Embedder: ${results.embedder}.`,
    '',
    '| Case | Figure | Median | Min | Max | p95 | Unit | Runs | Target | Notes |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |',
  ];
  for (const c of results.cases) {
    if (c.error) lines.push(`| ${c.name} | crashed | | | | | | | | ${cell(c.error.split('\n')[0])} |`);
    for (const f of c.figures) {
      const target = f.target ? `${f.target.met ? 'met' : '**not met**'} (${f.target.text})` : '';
      lines.push(
        `| ${c.name} | ${cell(f.name)} | ${num(f.median)} | ${num(f.min)} | ${num(f.max)} | ${f.p95 === undefined ? '' : num(f.p95)} | ${f.unit} | ${f.runs} | ${target} | ${cell(f.note ?? '')} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Three significant digits, without exponent noise for ordinary magnitudes. */
export function num(value: number): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en');
  if (abs >= 0.001) return String(Number(value.toPrecision(3)));
  return value.toExponential(2);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
