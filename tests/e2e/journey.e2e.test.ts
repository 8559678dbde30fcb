// The first hour, as a new user takes it: from a fresh profile, only the app's own "Next: …" links lead from
// "What is RAFT?" through the sample wiki, questions, the dataset, the models, an answered arena question and
// a finished evaluation. Every page is photographed at 1280×800 and on a 390×844 phone and must not scroll
// sideways, nor may the evaluation's HTML report. The screenshots go to $RAFT_JOURNEY_SHOTS or a temp folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { loadModelFolder, useApp } from './support/app';

const ROOT = resolve(import.meta.dirname, '../..');
const ORACLE_SENTENCE = 'Refunds for monthly plans are available within 14 days of the first payment of a new subscription.';
const QUESTION = 'Are refunds for monthly plans available within 14 days of the first payment of a new subscription?';
/** As in arena.e2e: the echo model repeats the user turn, so this one ends with a quote of the oracle and a final answer. */
const USER_TURN = `{documents}{question}\n##begin_quote##${ORACLE_SENTENCE}##end_quote## <ANSWER>: 14 days`;
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const app = useApp();
let questionsFile = '';
let shots = '';
beforeAll(async () => {
  // Eight test and eight train questions of the sample wiki, and the arena's question (test): enough for a short evaluation.
  const rows = (await readFile(join(ROOT, 'public/sample-wiki/questions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { split: string });
  const arena = { question: QUESTION, answer: 'Within 14 days of the first payment.', article: 'billing/refund-policy.md', quote: ORACLE_SENTENCE, split: 'test' };
  const picked = [arena, ...rows.filter((r) => r.split === 'test').slice(0, 8), ...rows.filter((r) => r.split === 'train').slice(0, 8)];
  const dir = mkdtempSync(join(tmpdir(), 'raft-journey-'));
  questionsFile = join(dir, 'questions.jsonl');
  writeFileSync(questionsFile, picked.map((r) => JSON.stringify(r)).join('\n'));
  shots = process.env.RAFT_JOURNEY_SHOTS ?? join(dir, 'shots');
  mkdirSync(shots, { recursive: true });
});

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent().then((t) => t ?? '');

/** How far the page scrolls sideways (0 when it fits its window). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The outermost elements that reach past the window's right edge, to name in a failure. */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el: Element) => {
      for (let up = el.parentElement; up; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el));
    const outer = wide.filter((el) => !wide.includes(el.parentElement!));
    return outer.slice(0, 5).map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}" data-testid="${el.getAttribute('data-testid') ?? ''}"> right ${Math.round(el.getBoundingClientRect().right)}`);
  });

/** Photographs the page at both sizes, checking that neither scrolls sideways; leaves the desktop size set. */
async function photograph(page: Page, name: string): Promise<void> {
  for (const viewport of [...VIEWPORTS].reverse()) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: join(shots, `${name}-${viewport.width}x${viewport.height}.png`), fullPage: true });
    const sideways = await overflow(page);
    if (sideways > 0) expect.fail(`${name} at ${viewport.width}×${viewport.height} scrolls ${sideways} px sideways (screenshots: ${shots}): ${(await overflowing(page)).join('; ')}`);
  }
}

/**
 * Follows the page's own next step, which must say `label`, by keyboard (Enter) or by mouse; the new page's
 * heading takes the focus for screen readers and draws no focus ring.
 */
async function next(page: Page, label: string, title: string, how: 'mouse' | 'keyboard' = 'mouse'): Promise<void> {
  const link = page.getByTestId('next-step');
  await expect.poll(() => link.textContent(), { timeout: 60_000 }).toContain(label);
  if (how === 'keyboard') {
    await link.focus();
    await page.keyboard.press('Enter');
  } else {
    await link.click();
  }
  const heading = page.getByRole('heading', { level: 1 });
  await expect.poll(() => heading.textContent()).toBe(title);
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  expect(await heading.evaluate((h) => getComputedStyle(h).outlineStyle), `the ${title} heading draws a focus ring`).toBe('none');
}

test('from "What is RAFT?" to an answered arena question and a finished evaluation, by the app’s next steps only', { timeout: 600_000 }, async () => {
  const session = await app.open();
  const { page } = session;
  await page.setViewportSize(VIEWPORTS[0]);

  // 1. What is RAFT? → Corpus: the sample wiki.
  await expect.poll(() => page.getByTestId('sample-wiki').count(), { timeout: 30_000 }).toBe(1);
  await photograph(page, '1-raft');
  await next(page, 'Next: add documents on the Corpus page', 'Corpus', 'keyboard');
  expect(await page.getByTestId('next-step').count()).toBe(0); // nothing to go on with yet
  await page.getByRole('button', { name: 'Load the sample wiki' }).click();
  await expect.poll(() => text(page, 'ingest-report'), { timeout: 30_000 }).toMatch(/Added 25/);
  await photograph(page, '2-corpus');

  // 2. Questions: imported with their splits.
  await next(page, 'Next: write or load questions', 'Questions');
  await page.getByLabel('Import questions').setInputFiles(questionsFile);
  await expect.poll(() => page.locator('[data-testid="pair"][data-status="ok"]').count(), { timeout: 30_000 }).toBe(17);
  await photograph(page, '3-questions');

  // 3. Dataset: a template whose user turn the echo model will answer with a quote of the oracle; then build.
  await next(page, 'Next: build the RAFT dataset', 'Dataset');
  expect(await page.getByTestId('next-step').count()).toBe(0);
  await page.getByTestId('template-editor').locator('summary').click();
  await page.getByLabel('User turn').fill(USER_TURN);
  await page.getByLabel('User turn').press('Tab');
  await page.getByRole('button', { name: 'Build dataset' }).click();
  await expect.poll(() => page.getByTestId('examples-table').locator('[role="row"].body').count(), { timeout: 60_000 }).toBeGreaterThan(5);
  await photograph(page, '4-dataset');

  // 4. Past Fine-tune (optional: the models here come from folders), the Arena without models → Models → back.
  await next(page, 'Next: fine-tune the base model on it, here', 'Fine-tune');
  await next(page, 'Next: ask both models in the Arena', 'Arena');
  await photograph(page, '5-arena-no-models');
  await next(page, 'Next: load the base and fine-tuned models', 'Models', 'keyboard');
  await loadModelFolder(page, 'base', 'tiny/echo');
  await loadModelFolder(page, 'tuned', 'tiny/llama');
  await photograph(page, '6-models');
  await next(page, 'Next: ask both models in the Arena', 'Arena');

  // 5. Ask: the answers come into view at 1280×800, and once both have finished, the overall line above them.
  await page.getByLabel('Or pick a test question').selectOption({ label: QUESTION });
  await page.getByLabel('Documents (k)').fill('1');
  await page.getByLabel('Documents (k)').press('Tab');
  await page.getByLabel('Max new tokens').fill('1000');
  await page.getByLabel('Max new tokens').press('Tab');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect.poll(() => text(page, 'verdict-base'), { timeout: 120_000 }).toContain('Verdict: cited the oracle');
  // The random tiny Llama runs to its token limit: stop it by hand once the echo model is done.
  const stopTuned = page.getByTestId('answer-tuned').getByRole('button', { name: /^Stop/ });
  if (await stopTuned.count()) await stopTuned.click();
  const overall = page.getByTestId('arena-overall');
  await expect.poll(() => overall.textContent(), { timeout: 60_000 }).toContain('Base cited the oracle, fine-tuned did not');
  expect(await overall.textContent()).toContain('base answered partly right (F1 0.50)');
  const inView = await overall.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const bar = document.querySelector('.status-bar')!.getBoundingClientRect();
    return { top: box.top, bottom: box.bottom, barTop: bar.top, barBottom: bar.bottom, height: innerHeight };
  });
  expect(inView.top, 'the overall line is scrolled out of view above').toBeGreaterThanOrEqual(0);
  expect(inView.bottom, 'the overall line is under the status bar or below the fold').toBeLessThanOrEqual(inView.barTop);
  // The status bar stays at the window's bottom on this long page.
  expect(Math.round(inView.barBottom)).toBe(inView.height);
  await photograph(page, '7-arena-answered');

  // 6. Evaluation: the test split, short answers, to the end.
  await next(page, 'Next: evaluate on held-out questions', 'Evaluation');
  await expect.poll(() => text(page, 'eval-questions'), { timeout: 30_000 }).toContain('9 held-out questions');
  await page.getByLabel('Max new tokens').fill('24');
  await page.getByRole('button', { name: 'Start evaluation' }).click();
  await expect.poll(() => page.getByTestId('eval-run').getAttribute('data-status'), { timeout: 300_000 }).toBe('done');
  expect(await page.getByTestId('next-step').count()).toBe(0); // the end of the path
  await photograph(page, '8-evaluation');
  // The phone's status bar stays in view without taking the screen.
  await page.setViewportSize(VIEWPORTS[1]);
  await page.locator('.status-bar').screenshot({ path: join(shots, 'status-bar-390x844.png') });
  const bar = await page.locator('.status-bar').evaluate((el) => ({
    bottom: el.getBoundingClientRect().bottom,
    height: el.getBoundingClientRect().height,
    items: [...el.querySelectorAll('.item')].map((item) => `${Math.round(item.getBoundingClientRect().height)} px: ${item.textContent?.trim().replace(/\s+/g, ' ')}`),
  }));
  expect(Math.round(bar.bottom)).toBe(VIEWPORTS[1].height);
  expect(bar.height, `the status bar takes too much of a phone screen: ${bar.items.join(' | ')}`).toBeLessThanOrEqual(VIEWPORTS[1].height / 5);
  await page.setViewportSize(VIEWPORTS[0]);

  // 7. The HTML report, opened as a page, fits both windows too.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download HTML report' }).click()]);
  const report = await session.context.newPage();
  await report.setContent(await readFile((await file.path())!, 'utf8'));
  await photograph(report, '9-report');
  expect(session.external).toEqual([]);
});
