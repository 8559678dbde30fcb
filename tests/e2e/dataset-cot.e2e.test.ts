// Model-written chain-of-thought on the Dataset page of the built app, with the tiny echo model (it replies with
// exactly the last user message) as this tab's language model: a writer prompt that makes it quote the oracle and
// give the reference answer is checked and kept; the default prompt gets every reply rejected, retried and fallen
// back to the template, with the reasons in the inspector; a reload in the middle of a run keeps the build and the
// reasoning written so far, and Resume finishes without asking a written one again.
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { goTo, loadModelFolder, loadSampleWiki, useApp } from './support/app';

const QUESTIONS = resolve(import.meta.dirname, '../../public/sample-wiki/questions.jsonl');
const QUOTING_PROMPT = '##Reason: ##begin_quote##{quote}##end_quote## <ANSWER>: {answer}';
const LONG = { timeout: 180_000, interval: 100 };

const app = useApp();
let fewQuestions = '';
/** The sample wiki's first 40 questions: enough reasoning to write that a reload lands midway. */
let fortyQuestions = '';
beforeAll(async () => {
  const lines = (await readFile(QUESTIONS, 'utf8')).trim().split('\n');
  const dir = mkdtempSync(join(tmpdir(), 'raft-cot-'));
  fewQuestions = join(dir, 'few-questions.jsonl');
  await writeFile(fewQuestions, lines.slice(0, 6).join('\n') + '\n');
  fortyQuestions = join(dir, 'forty-questions.jsonl');
  await writeFile(fortyQuestions, lines.slice(0, 40).join('\n') + '\n');
});

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent().then((t) => t ?? '');

/** Sample wiki, the questions (each with the split its file gives); the echo model as this tab's language model; then the Dataset page. */
async function prepare(page: Page, questions: string, count: number): Promise<void> {
  await loadSampleWiki(page);
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(questions);
  await expect.poll(() => page.locator('[data-testid="pair"][data-status="ok"]').count(), { timeout: 30_000 }).toBe(count);
  await goTo(page, 'Models');
  await loadModelFolder(page, 'base', 'tiny/echo');
  await goTo(page, 'Dataset');
  await expect.poll(() => text(page, 'dataset-questions'), { timeout: 30_000 }).toContain(`${count} resolved questions`);
  expect(await text(page, 'dataset-questions')).not.toContain('without a split');
}

/** The numbers of the panel's line "This build: N examples …; reasoning by …: A written by the model, B fell back …, C not written yet". */
async function counts(page: Page): Promise<{ tasks: number; model: number; fellBack: number; left: number }> {
  const line = await text(page, 'cot-counts');
  const m = line.match(/This build: (\d+) examples.*?: (\d+) written by the model,\s*(\d+) fell back to the template, (\d+) not written yet/s);
  if (!m) throw new Error(`No counts in "${line}"`);
  const [tasks, model, fellBack, left] = m.slice(1).map(Number);
  return { tasks, model, fellBack, left };
}

async function openFirstRow(page: Page): Promise<void> {
  await page.getByTestId('examples-table').locator('[role="row"].body').first().click();
  await expect.poll(() => page.getByTestId('example-viewer').count()).toBe(1);
}

test('default prompt: every echo reply rejected and fallen back, with reasons; an edited prompt: every answer model-written; the manifest says so', async () => {
  const session = await app.open();
  const { page } = session;
  await prepare(page, fewQuestions, 6);
  const panel = page.getByTestId('cot-panel');
  await panel.getByLabel("This tab's language model").check();
  await expect.poll(() => panel.textContent()).toContain('Using echo');
  // Short replies: the echo repeats the prompt, which no check accepts anyway.
  await panel.getByLabel('New tokens per reply').fill('24');

  // 1. The default prompt: rejected three times each, then the template.
  await panel.getByRole('button', { name: 'Write the reasoning' }).click();
  await expect.poll(() => text(page, 'cot-notice'), LONG).toMatch(/^Done: \d+ examples, 0 written by the model, \d+ fell back to the template/);
  const fallen = await counts(page);
  expect(fallen.tasks).toBeGreaterThan(0);
  expect(fallen).toMatchObject({ model: 0, fellBack: fallen.tasks, left: 0 });
  expect(await text(page, 'cot-summary')).toContain(`fell back to the template after rejected replies: ${fallen.tasks}`);
  await page.getByLabel('Reasoning', { exact: true }).selectOption('fallback');
  expect(await page.getByTestId('examples-table').locator('[role="row"].body').count()).toBe(fallen.tasks);
  await openFirstRow(page);
  const origin = page.getByTestId('cot-origin');
  expect(await origin.textContent()).toMatch(/^Template, fell back after 3 rejected replies from echo.*:/);
  const reasons = await origin.getByRole('list', { name: 'Why each reply was rejected' }).locator('li').allTextContents();
  expect(reasons).toHaveLength(3);
  for (const [i, reason] of reasons.entries()) expect(reason).toMatch(new RegExp(`^Reply ${i + 1}: .+`));

  // 2. A writer prompt the echo answers correctly: each reply checked and kept (a new writer: built again first).
  await panel.getByText('Writer prompt', { exact: true }).click();
  await panel.getByLabel('User turn of the writer').fill(QUOTING_PROMPT);
  await panel.getByLabel('New tokens per reply').fill('256'); // room for the quote and the answer
  await panel.getByRole('button', { name: 'Write the reasoning' }).click();
  await expect.poll(() => text(page, 'cot-notice'), LONG).toMatch(/^Done: \d+ examples, [1-9]\d* written by the model, 0 fell back/);
  const written = await counts(page);
  expect(written).toMatchObject({ model: written.tasks, fellBack: 0, left: 0 });
  await page.getByLabel('Reasoning', { exact: true }).selectOption('model');
  expect(await page.getByTestId('examples-table').locator('[role="row"].body').count()).toBe(written.tasks);
  await openFirstRow(page);
  expect(await text(page, 'cot-origin')).toMatch(/Reasoning written by echo/);
  expect(await page.getByTestId('example-viewer').textContent()).toMatch(/##begin_quote##.+##end_quote##/s);

  // 3. The export's manifest records the writer, its settings and the counts.
  const exportPanel = page.getByTestId('export-panel');
  await exportPanel.getByLabel('Format').selectOption('gorilla');
  const [download] = await Promise.all([page.waitForEvent('download'), exportPanel.getByRole('button', { name: 'Download raft-gorilla-manifest.json' }).click()]);
  const manifest = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(manifest.cot).toMatchObject({ source: 'local', written: written.tasks, fellBack: 0, settings: { prompt: { user: QUOTING_PROMPT }, minAnswerF1: 0.5, attempts: 3, generation: { maxNewTokens: 256, greedy: true } } });
  expect(manifest.cot.model).toContain('echo');
  expect(session.external).toEqual([]);
}, 420_000);

test('a reload in the middle of a run keeps the build and the reasoning written; Resume asks only the rest', async () => {
  const session = await app.open();
  const { page } = session;
  await prepare(page, fortyQuestions, 40);
  const panel = page.getByTestId('cot-panel');
  await panel.getByLabel("This tab's language model").check();
  await panel.getByText('Writer prompt', { exact: true }).click();
  await panel.getByLabel('User turn of the writer').fill(QUOTING_PROMPT);
  await panel.getByRole('button', { name: 'Write the reasoning' }).click();

  // 1. Reload once some reasoning is written and some is not.
  let seen = 0;
  await expect
    .poll(async () => {
      const m = (await page.getByTestId('cot-progress').allTextContents()).join('').match(/(\d+) of (\d+) examples/);
      seen = m ? Number(m[1]) : 0;
      return seen;
    }, { timeout: 120_000, interval: 25 })
    .toBeGreaterThan(0);
  await page.reload();

  // 2. After the reload: the build is there without building again, with the reasoning written so far.
  await goTo(page, 'Dataset');
  await expect.poll(() => page.getByTestId('examples-table').locator('[role="row"].body').count(), { timeout: 30_000 }).toBeGreaterThan(5);
  const before = await counts(page);
  expect(before.model).toBeGreaterThanOrEqual(seen);
  expect(before.left).toBeGreaterThan(0);
  expect(before.model + before.left).toBe(before.tasks);
  expect(await page.getByTestId('dataset-notice').count()).toBe(0);
  expect(await text(page, 'cot-summary')).toContain(`${before.model} of 40 written by echo`);
  expect(await text(page, 'cot-blocked')).toMatch(/Load echo.* on the Models page/);

  // 3. The model again, then Resume: only the rest is asked.
  await goTo(page, 'Models');
  await loadModelFolder(page, 'base', 'tiny/echo');
  await goTo(page, 'Dataset');
  await panel.getByRole('button', { name: 'Resume writing' }).click();
  await expect.poll(() => text(page, 'cot-notice'), LONG).toMatch(/^Done:/);
  expect(await text(page, 'cot-notice')).toBe(
    `Done: ${before.tasks} examples, ${before.tasks} written by the model, 0 fell back to the template (this run wrote ${before.left}; ${before.model} were written before and not asked again).`,
  );
  expect(await page.getByTestId('dataset-notice').count()).toBe(0);

  // 4. A changed question: the next visit rebuilds and says why.
  await goTo(page, 'Questions');
  const first = page.getByTestId('pair').first();
  await first.getByRole('button', { name: /^Edit:/ }).click();
  const dialog = page.getByTestId('pair-dialog');
  await dialog.getByLabel('Answer').fill('An answer edited by hand');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await goTo(page, 'Dataset');
  await expect.poll(() => text(page, 'dataset-notice'), { timeout: 30_000 }).toBe('The questions changed since the last build (the same 40 resolved questions, other content): rebuilt.');
  expect(session.external).toEqual([]);
}, 420_000);
