// `npm run bench [-- --quick] [-- --embedder <model folder>] [-- --only <case>[,<case>]]`: runs every
// case (each in its own Node process), prints each case's figures as JSON, and saves the results.
// `--real-shape`: only the cases on random-weight models of the default models' real shapes, built once
// (Python, minutes) into node_modules/.cache/raft-real-shape and reused; never part of --smoke.
// `--smoke` (npm test): the quick run, one line per case, results in a temporary folder, so a test
// run checks that every case still runs without touching bench/results. Exits 0 unless a case
// crashed; speed never fails the run.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CASES, REAL_SHAPE_CASES } from './cases/index';
import { saveResults, type CaseOutcome, type RunResults } from './results';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE = 'Usage: npm run bench -- [--quick | --smoke] [--real-shape] [--embedder <model folder>] [--only <case>[,<case>...]]';

function parseArgs(argv: string[]): { quick: boolean; smoke: boolean; realShape: boolean; embedder: string | null; only: string[] | null } {
  const options = { quick: false, smoke: false, realShape: false, embedder: null as string | null, only: null as string[] | null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--smoke') options.quick = options.smoke = true;
    else if (arg === '--real-shape') options.realShape = true;
    else if (arg === '--embedder' && argv[i + 1]) options.embedder = resolve(argv[++i]);
    else if (arg === '--only' && argv[i + 1]) options.only = argv[++i].split(',').map((s) => s.trim());
    else throw new Error(`Unknown or incomplete argument "${arg}". ${USAGE}`);
  }
  const unknown = (options.only ?? []).filter((c) => !(c in CASES));
  if (unknown.length) throw new Error(`Unknown case "${unknown.join(', ')}". Should be one of: ${Object.keys(CASES).join(', ')}.`);
  if (options.realShape && options.smoke) throw new Error(`--real-shape builds large models; it cannot run with --smoke. ${USAGE}`);
  return options;
}

function runCase(name: string, args: string[], out: string, quiet: boolean): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [
      '--experimental-wasm-modules',
      '--no-warnings=ExperimentalWarning',
      '--expose-gc',
      '--max-old-space-size=8192',
      '--import',
      'tsx',
      join(ROOT, 'bench/case-runner.ts'),
      name,
      '--out',
      out,
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', quiet ? 'ignore' : 'inherit'], env: { ...process.env, RAFT_BENCH_SCRATCH: scratch } },
  );
  return new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code)));
}

const options = parseArgs(process.argv.slice(2));
const started = new Date();
const loadBefore = loadavg();
const names = options.only ?? (options.realShape ? REAL_SHAPE_CASES : Object.keys(CASES).filter((c) => !REAL_SHAPE_CASES.includes(c)));
const caseArgs = [...(options.quick ? ['--quick'] : []), ...(options.embedder ? ['--embedder', options.embedder] : [])];
const scratch = await mkdtemp(join(tmpdir(), 'raft-bench-'));
const outcomes: CaseOutcome[] = [];
for (const name of names) {
  if (!options.smoke) process.stderr.write(`\n== ${name} ==\n`);
  const out = join(scratch, `${name}.json`);
  const code = await runCase(name, caseArgs, out, options.smoke);
  const text = await readFile(out, 'utf8').catch(() => null);
  const outcome: CaseOutcome = text ? JSON.parse(text) : { name, wallSeconds: 0, figures: [], error: `The case process exited with code ${code} and wrote no results.` };
  outcomes.push(outcome);
  if (options.smoke) {
    const status = outcome.error ? `CRASHED: ${outcome.error}` : `ran, ${outcome.figures.length} figures`;
    process.stdout.write(`bench smoke: ${name} ${status} (${outcome.wallSeconds.toFixed(0)} s)\n`);
  }
  else process.stdout.write(JSON.stringify(outcome) + '\n');
}
await rm(scratch, { recursive: true, force: true });

const results: RunResults = {
  started: started.toISOString(),
  mode: options.realShape ? 'real-shape' : options.quick ? 'quick' : 'full',
  only: options.only,
  embedder: options.realShape ? 'real-shape models (node_modules/.cache/raft-real-shape)' : (options.embedder ?? 'tests/models/tiny/embedder'),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  },
  load: { before: loadBefore, after: loadavg() },
  wallSeconds: (Date.now() - started.getTime()) / 1000,
  cases: outcomes,
};
// NOTE: real-shape runs keep their own latest.json/.md, so they never replace the main run's.
const resultsDir = options.smoke ? join(tmpdir(), 'raft-bench-smoke') : join(ROOT, options.realShape ? 'bench/results/real-shape' : 'bench/results');
if (options.smoke) await mkdir(resultsDir, { recursive: true });
const saved = await saveResults(resultsDir, results);
const crashed = outcomes.filter((o) => o.error);
const summary = options.smoke
  ? `bench smoke: ${outcomes.length - crashed.length} of ${outcomes.length} cases ran in ${results.wallSeconds.toFixed(0)} s (speed is not judged; figures in ${saved.md}).\n`
  : `\nWrote ${saved.json} and ${saved.md} (this run is also kept as ${saved.archived}). ${results.wallSeconds.toFixed(0)} s wall.\n`;
process.stderr.write(summary + (crashed.length ? `Crashed: ${crashed.map((o) => o.name).join(', ')}\n` : ''));
process.exit(crashed.length ? 1 : 0);
