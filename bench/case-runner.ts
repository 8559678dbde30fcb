// Runs one benchmark case in this process and writes its outcome as JSON to the file given by --out.
// run.ts starts one such process per case, so each case has a clean heap, its own RSS and its own
// transformers.js settings.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { CASES } from './cases/index';
import type { BenchContext } from './context';
import type { CaseOutcome } from './results';

const [name, ...rest] = process.argv.slice(2);
const flag = (key: string) => {
  const at = rest.indexOf(key);
  return at >= 0 ? rest[at + 1] : undefined;
};
const out = flag('--out');
const root = resolve(import.meta.dirname, '..');
const context: BenchContext = {
  quick: rest.includes('--quick'),
  embedderFolder: resolve(flag('--embedder') ?? resolve(root, 'tests/models/tiny/embedder')),
  root,
  log: (message) => process.stderr.write(`[${name}] ${message}\n`),
};

const start = performance.now();
const outcome: CaseOutcome = { name, wallSeconds: 0, figures: [], load: { start: loadavg()[0], end: NaN } };
try {
  const loader = CASES[name];
  if (!loader) throw new Error(`Unknown case "${name}". Should be one of: ${Object.keys(CASES).join(', ')}.`);
  outcome.figures = await (await loader()).run(context);
} catch (error) {
  outcome.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
}
outcome.wallSeconds = (performance.now() - start) / 1000;
outcome.load!.end = loadavg()[0];
if (out) await writeFile(out, JSON.stringify(outcome));
else process.stdout.write(JSON.stringify(outcome, null, 2) + '\n');
process.exit(0);
