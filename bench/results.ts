// Writes a run's results: bench/results/history/<start>-<mode>.json (every run is kept), and
// bench/results/latest.json and latest.md (a Markdown table with each figure's value in the previous
// run of the same mode next to the new one).
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Figure } from './harness';

/** The 1-minute load average when a case started and when it ended (os.loadavg; the benchmark counts itself). */
export interface CaseLoad {
  start: number;
  end: number;
}

export interface CaseOutcome {
  name: string;
  wallSeconds: number;
  figures: Figure[];
  load?: CaseLoad;
  /** Set when the case crashed: its message and stack. */
  error?: string;
}

export interface RunResults {
  started: string;
  mode: 'full' | 'quick' | 'real-shape';
  only: string[] | null;
  embedder: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; platform: string };
  /** os.loadavg() (1, 5, 15 minutes) before the first case and after the last. */
  load?: { before: number[]; after: number[] };
  wallSeconds: number;
  cases: CaseOutcome[];
}

/** A figure's median in an earlier run, and that run's start time. */
interface Previous {
  median: number;
  started: string;
}

export async function saveResults(dir: string, results: RunResults): Promise<{ json: string; md: string; archived: string }> {
  const historyDir = join(dir, 'history');
  await mkdir(historyDir, { recursive: true });
  const previous = await previousFigures(historyDir, results);
  const archived = join(historyDir, `${results.started.replace(/:/g, '-')}-${results.mode}.json`);
  const json = join(dir, 'latest.json');
  const md = join(dir, 'latest.md');
  const text = JSON.stringify(results, null, 2) + '\n';
  await writeFile(archived, text);
  await writeFile(json, text);
  await writeFile(md, markdown(results, previous));
  return { json, md, archived };
}

const figureKey = (caseName: string, figureName: string) => `${caseName}\u0000${figureName}`;

/** For every figure, its median in the most recent earlier run of the same mode that has it. */
async function previousFigures(historyDir: string, current: RunResults): Promise<Map<string, Previous>> {
  const names = (await readdir(historyDir).catch(() => [] as string[])).filter((n) => n.endsWith(`-${current.mode}.json`)).sort().reverse();
  const found = new Map<string, Previous>();
  for (const name of names) {
    const run = JSON.parse(await readFile(join(historyDir, name), 'utf8')) as RunResults;
    if (run.started >= current.started || run.embedder !== current.embedder) continue;
    for (const c of run.cases) {
      for (const f of c.figures) {
        const key = figureKey(c.name, f.name);
        if (!found.has(key) && Number.isFinite(f.median)) found.set(key, { median: f.median, started: run.started });
      }
    }
  }
  return found;
}

/** 1-minute load average at or above which a case counts as measured under load (the benchmark itself adds about 1). */
export function busyLoad(cpus: number): number {
  return Math.max(1.5, cpus * 0.75);
}

/** The results as one Markdown table, with the run's settings above it. */
export function markdown(results: RunResults, previous: Map<string, Previous> = new Map()): string {
  const { machine } = results;
  const load = results.load ? ` Load average (1/5/15 min) ${fmtLoad(results.load.before)} before, ${fmtLoad(results.load.after)} after.` : '';
  const usedRuns = new Set<string>();
  const rows: string[] = [];
  for (const c of results.cases) {
    if (c.error) rows.push(`| ${c.name} | crashed | | | | | | | | | ${cell(c.error.split('\n')[0])} |`);
    const underLoad = c.load && Math.max(c.load.start, c.load.end) >= busyLoad(machine.cpus) ? `under load (1-min load ${c.load.start.toFixed(1)}→${c.load.end.toFixed(1)})` : '';
    for (const f of c.figures) {
      const target = f.target ? `${f.target.met ? 'met' : '**not met**'} (${f.target.text})` : '';
      const before = previous.get(figureKey(c.name, f.name));
      if (before) usedRuns.add(before.started);
      const note = [f.note ?? '', underLoad].filter(Boolean).join('; ');
      rows.push(
        `| ${c.name} | ${cell(f.name)} | ${num(f.median)} | ${before ? num(before.median) : ''} | ${num(f.min)} | ${num(f.max)} | ${f.p95 === undefined ? '' : num(f.p95)} | ${f.unit} | ${f.runs} | ${target} | ${cell(note)} |`,
      );
    }
  }
  const runs = [...usedRuns].sort();
  const lines = [
    `Run ${results.started} (${results.mode}${results.only ? `, only ${results.only.join(', ')}` : ''}), ${results.wallSeconds.toFixed(0)} s wall.`,
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGB} GB, Node ${machine.node} (${machine.platform}). Embedder: ${results.embedder}.${load}`,
    `Previous: the median in the latest earlier ${results.mode} run with the same embedder that has the figure${runs.length ? ` (${runs.join(', ')})` : ' (none yet)'}. "Under load": the 1-minute load average reached ${busyLoad(machine.cpus)} during the case (other processes competing for the cores); prefer its ratios, measured in the same process, over its absolute times.`,
    '',
    '| Case | Figure | Median | Previous | Min | Max | p95 | Unit | Runs | Target | Notes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |',
    ...rows,
  ];
  return lines.join('\n') + '\n';
}

function fmtLoad(values: number[]): string {
  return values.map((v) => v.toFixed(2)).join('/');
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
