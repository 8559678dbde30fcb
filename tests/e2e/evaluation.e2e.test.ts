// The Evaluation stage in the built app (WASM backend): two tiny models over the sample wiki's test split,
// interrupted by a reload midway, resumed (answered questions are not asked again) and finished; the
// downloaded report and JSON hold the numbers the page shows, and `raft eval` gives the same numbers in Node.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { METRICS } from '../../src/lib/core/eval/aggregate';
import { formatValue } from '../../src/lib/core/eval/format';
import type { EvalExport } from '../../src/lib/core/eval/serialise';
import type { MetricId, RunSummary } from '../../src/lib/core/eval/types';
import { goTo, loadModelFolder, loadSampleWiki, useApp } from './support/app';

const ROOT = resolve(import.meta.dirname, '../..');
/** The sample wiki's first 8 test and 8 train questions, splits as given (set in beforeAll): all 106 test questions would take minutes. */
let QUESTIONS = '';
/** The random tiny Llama never stops early: each of its answers takes this many tokens, so the run lasts long enough to interrupt. */
const MAX_NEW_TOKENS = 40;
const TOTAL = 16; // 8 test questions × 2 models

const app = useApp();
beforeAll(async () => {
  const rows = (await readFile(join(ROOT, 'public/sample-wiki/questions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { split: string });
  QUESTIONS = join(mkdtempSync(join(tmpdir(), 'raft-eval-e2e-')), 'questions.jsonl');
  await writeFile(QUESTIONS, [...rows.filter((r) => r.split === 'test').slice(0, 8), ...rows.filter((r) => r.split === 'train').slice(0, 8)].map((r) => JSON.stringify(r)).join('\n'));
});

async function loadModels(page: Page): Promise<void> {
  await goTo(page, 'Models');
  for (const [role, folder] of [['base', 'echo'], ['tuned', 'llama']] as const) {
    await loadModelFolder(page, role, `tiny/${folder}`);
  }
}

const answered = async (page: Page) => Number(await page.getByTestId('eval-progress').getAttribute('aria-valuenow'));

/** Every figure of a summary table (page or report), keyed `arm|metric`: the figure only, not its interval. */
async function tableFigures(page: Page, selector: string): Promise<Record<string, string>> {
  return page.locator(selector).evaluateAll((cells) =>
    Object.fromEntries(cells.map((cell) => [`${cell.getAttribute('data-arm')}|${cell.getAttribute('data-metric')}`, (cell.firstChild?.textContent ?? '').trim()])),
  );
}

/** The reproducible figures of a summary (timings aside), for comparing the app with the CLI. */
function reproducible(summary: RunSummary) {
  return {
    comparisons: summary.comparisons,
    arms: summary.arms.map(({ armId, answered, meanDistractors, metrics: { latency: _l, tps: _t, ...quality } }) => ({ armId, answered, meanDistractors, quality })),
    retrieval: summary.retrieval,
  };
}

function cliEval(args: string[]): Promise<RunSummary & { questions: number }> {
  return new Promise((done, fail) =>
    execFile('npm', ['run', '--silent', 'raft', '--', 'eval', ...args], { cwd: ROOT }, (error, stdout, stderr) => (error ? fail(new Error(`raft eval failed: ${stderr}`)) : done(JSON.parse(stdout)))),
  );
}

test('evaluate two models, reload midway, resume, finish; the report and the JSON hold the numbers shown, and the CLI agrees', { timeout: 300_000 }, async () => {
  const session = await app.open();
  const { page } = session;

  // 1. The sample wiki and the questions; the seeded split (test share 0.2, seed 7, articles kept together) keeps the given sides.
  await loadSampleWiki(page);
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(QUESTIONS);
  await expect.poll(() => page.getByTestId('pair').count(), { timeout: 30_000 }).toBe(16);
  await page.getByTestId('split-panel').getByRole('button', { name: 'Split' }).click();
  await expect.poll(() => page.getByTestId('split-counts').textContent(), { timeout: 30_000 }).toMatch(/Test\s*8/);
  await loadModels(page);

  // 2. Start on the test split; reload once some but not all answers are saved.
  await goTo(page, 'Evaluation');
  await expect.poll(() => page.getByTestId('eval-questions').textContent(), { timeout: 30_000 }).toContain('8 held-out questions');
  await page.getByLabel('Max new tokens').fill(String(MAX_NEW_TOKENS));
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  // Past the echo model's answers, into the slower random model's.
  await expect.poll(() => answered(page), { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(9);
  await page.reload();

  await goTo(page, 'Evaluation');
  const run = page.getByTestId('eval-run');
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('paused');
  const kept = await answered(page);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(TOTAL);
  expect(await run.getByTestId('eval-notice').textContent()).toMatch(/Interrupted: the page was closed or reloaded/);

  // 3. The models again (a reload empties memory), then resume to the end.
  await loadModels(page);
  await goTo(page, 'Evaluation');
  await run.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => run.getAttribute('data-status'), { timeout: 180_000 }).toBe('done');
  expect(await answered(page)).toBe(TOTAL);
  expect(await page.getByTestId('eval-answer').count()).toBe(TOTAL);
  const shown = await tableFigures(page, '[data-testid="eval-summary"] td[data-metric], [data-testid="eval-comparison"] td[data-metric], [data-testid="eval-retrieval-summary"] td[data-metric]');
  expect(Object.keys(shown).length).toBeGreaterThanOrEqual(2 * 8 + 6 + 3);
  expect(shown['tuned@k5+0|delta-em']).toMatch(/pts$/);
  // At 1280×800 the results table shows every column, Latency and Tokens/s too, with no sideways scroll.
  await page.setViewportSize({ width: 1280, height: 800 });
  const fit = await page.getByTestId('eval-summary').evaluate((table) => ({ table: table.scrollWidth, box: table.parentElement!.clientWidth }));
  expect(fit.table, 'results table width in its box').toBeLessThanOrEqual(fit.box);

  // 4. The report: the same figures in the same cells.
  const download = async (label: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
    return readFile((await file.path())!, 'utf8');
  };
  const html = await download('Download HTML report');
  const report = await session.context.newPage();
  await report.setContent(html);
  expect(await tableFigures(report, '#summary td[data-metric], #comparison td[data-metric], #retrieval td[data-metric]')).toEqual(shown);
  await report.close();

  // 5. The JSON: every answer once, and the summary the page shows.
  const data = JSON.parse(await download('Download JSON')) as EvalExport;
  expect(data.records).toHaveLength(TOTAL);
  expect(new Set(data.records.map((r) => r.key)).size).toBe(TOTAL);
  for (const arm of data.summary.arms) {
    for (const [metric, value] of Object.entries(arm.metrics)) {
      const key = `${arm.armId}|${metric}`;
      if (key in shown) expect(shown[key], key).toBe(formatValue(value.mean, METRICS[metric as MetricId].kind));
    }
  }
  expect(shown['retrieval|mrr']).toBe(formatValue(data.summary.retrieval!.mrr.mean, 'score'));

  // 6. The CLI on the same files, models, settings and seed: the same numbers (timings aside).
  const cli = await cliEval(['--docs', 'public/sample-wiki', '--questions', QUESTIONS, '--model', 'tests/models/tiny/echo', '--model', 'tests/models/tiny/llama', '--max-new-tokens', String(MAX_NEW_TOKENS), '--seed', '7']);
  expect(cli.questions).toBe(8);
  expect(reproducible(cli)).toEqual(reproducible(data.summary));

  // 7. Drill into one answer and open its question in the arena, with the run's retrieval settings.
  await goTo(page, 'Evaluation');
  const first = page.getByTestId('eval-answer').first();
  const question = (await first.getByRole('button').textContent())!.trim();
  await first.getByRole('button').click();
  const detail = page.getByTestId('eval-answer-detail');
  expect(await detail.textContent()).toMatch(/Documents read \(oracle chunk (ranked|not among)/);
  await detail.getByRole('button', { name: 'Open in the arena' }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/arena');
  expect(await page.getByLabel('Ask both models').inputValue()).toBe(question);
  expect(await page.getByTestId('arena-linked').textContent()).toContain('Linked to a test question');
  expect(session.external).toEqual([]);
});
