// The Arena in the built app, on the WASM backend and on WebGPU (SwiftShader): the sample wiki, a test
// question imported with its oracle, the tiny base model ("echo": it replies with exactly the user turn, i.e.
// the documents and the question, then a verbatim quote of the oracle and an <ANSWER>: line that this test puts
// in the prompt template's user turn: marker text in a question is neutralised, as in any data)
// and the tiny fine-tuned model the recipe test wrote, both loaded from local folders. Both answers stream
// side by side with their timing figures and quote analysis; the distractor stress and a reload follow.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { goTo, loadModelFolder, loadSampleWiki, MODELS_DIR, useApp } from './support/app';

const ORACLE_SENTENCE = 'Refunds for monthly plans are available within 14 days of the first payment of a new subscription.';
// NOTE: worded close to the oracle sentence, so lexical retrieval ranks the oracle first even at k = 1.
const QUESTION = 'Are refunds for monthly plans available within 14 days of the first payment of a new subscription?';
/** The template's user turn, ending with what the echo model will "answer": a quote of the oracle and the final answer. */
const USER_TURN = `{documents}{question}\n##begin_quote##${ORACLE_SENTENCE}##end_quote## <ANSWER>: 14 days`;

const TUNED = join(MODELS_DIR, 'finetuned/tiny-raft');
/**
 * The tiny fine-tuned model (a random Llama after 6 LoRA steps) writes word fragments and no quote markers,
 * greedily (the arena's default), so its answer, wherever Stop cuts it, quotes nothing.
 */
const TUNED_VERDICT = 'Verdict: no quotes';

/** The fine-tuned model the recipe test exported: without it there is no second model to compare, so the test fails. */
function tunedModel(): string {
  const onnx = join(TUNED, 'onnx/model.onnx');
  if (!existsSync(onnx)) {
    throw new Error(
      `arena e2e: ${onnx} is missing. tests/recipe/recipe.test.ts (vitest project "recipe", run by npm test before e2e) ` +
        'writes it after fine-tuning with Python; it was skipped or failed. Run `npm run test:recipe` ' +
        '(it builds its venv from the local package index, see recipes/setup_venv.sh), then this test again.',
    );
  }
  return TUNED;
}

const app = useApp();
let questionsFile = '';
beforeAll(() => {
  tunedModel(); // fails every test at once, naming what is missing
  const dir = mkdtempSync(join(tmpdir(), 'raft-arena-'));
  questionsFile = join(dir, 'arena-questions.jsonl');
  const row = { question: QUESTION, answer: 'Within 14 days of the first payment.', article: 'billing/refund-policy.md', quote: ORACLE_SENTENCE, split: 'test' };
  writeFileSync(questionsFile, JSON.stringify(row) + '\n');
});

async function prepare(page: Page): Promise<void> {
  await loadSampleWiki(page);
  await goTo(page, 'Questions');
  await page.getByLabel('Import questions').setInputFiles(questionsFile);
  await expect.poll(() => page.locator('[data-testid="pair"][data-status="ok"]').count(), { timeout: 30_000 }).toBe(1);
  await goTo(page, 'Dataset');
  await page.getByTestId('template-editor').locator('summary').click();
  await page.getByLabel('User turn').fill(USER_TURN);
  await page.getByLabel('User turn').press('Tab');
}

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent().then((t) => t ?? '');

/** Waits until `role` has streamed part of its answer ("streaming"), or has already finished ("settled"). */
async function streamState(page: Page, role: 'base' | 'tuned'): Promise<'streaming' | 'settled'> {
  const seen: { state: 'streaming' | 'settled' | null } = { state: null };
  await expect
    .poll(
      async () => {
        const figures = await text(page, `figures-${role}`);
        if (/Stopped by/.test(figures)) seen.state = 'settled';
        else if (/[1-9]\d* tokens so far/.test(figures) && (await text(page, `answer-text-${role}`)).length > 0) seen.state = 'streaming';
        return seen.state;
      },
      { timeout: 90_000, interval: 25 },
    )
    .not.toBeNull();
  return seen.state!;
}

/**
 * The fine-tuned model would run to the token limit: once it is seen streaming, its Stop button ends it,
 * keeping the text, and the verdict on what it wrote is TUNED_VERDICT.
 */
async function stopTunedWhileStreaming(page: Page): Promise<void> {
  const state = await streamState(page, 'tuned');
  expect(state, `the fine-tuned model finished before it was seen streaming, so Stop was not exercised: ${await text(page, 'figures-tuned')}`).toBe('streaming');
  const early = (await text(page, 'answer-text-tuned')).length;
  await page.getByTestId('answer-tuned').getByRole('button', { name: /^Stop/ }).click();
  await expect.poll(() => text(page, 'figures-tuned'), { timeout: 30_000 }).toMatch(/Stopped bystopped by you/);
  const answer = await text(page, 'answer-text-tuned');
  expect(answer.length).toBeGreaterThanOrEqual(early);
  expect(await text(page, 'figures-tuned')).toMatch(/Total\d+(\.\d)? m?s, [1-9]\d* tokens/);
  await expect.poll(() => text(page, 'verdict-tuned'), { timeout: 10_000, message: `the fine-tuned answer: ${JSON.stringify(answer.slice(0, 400))}` }).toContain(TUNED_VERDICT);
}

async function ask(page: Page, k: number): Promise<void> {
  await goTo(page, 'Arena');
  await page.getByLabel('Or pick a test question').selectOption({ label: QUESTION });
  expect(await page.getByLabel('Ask both models').inputValue()).toBe(QUESTION);
  await page.getByLabel('Documents (k)').fill(String(k));
  await page.getByLabel('Documents (k)').press('Tab');
  // The echo model repeats the whole user turn: the token limit must cover the documents and the question.
  await page.getByLabel('Max new tokens').fill('2500');
  await page.getByLabel('Max new tokens').press('Tab');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
}

async function expectEchoCitedTheOracle(page: Page): Promise<void> {
  await expect.poll(() => text(page, 'verdict-base'), { timeout: 120_000 }).toContain('Verdict: cited the oracle');
  expect(await text(page, 'final-base')).toContain('14 days');
  const figures = await text(page, 'figures-base');
  expect(figures).toMatch(/Time to first token\d+(\.\d)? m?s/);
  expect(figures).toMatch(/Speed\d+\.\d tokens\/s/);
  expect(figures).toMatch(/Total\d+(\.\d)? m?s, \d+ tokens/);
  expect(figures).toContain('end of answer');
  // The quote is marked in the answer with its document, and that document is the oracle, quoted by the base model.
  expect(await page.getByTestId('answer-text-base').locator('mark').first().textContent()).toBe(ORACLE_SENTENCE);
  expect(await text(page, 'answer-text-base')).toMatch(/document \d · oracle/);
  const oracle = page.locator('[data-testid="arena-document"][data-role="oracle"]');
  expect(await oracle.count()).toBe(1);
  expect(await oracle.getByTestId('quoted-by').textContent()).toContain('base model');
}

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`both models answer side by side with timings and quote analysis (${backend})`, async () => {
    const session = await app.open({ webgpu: backend === 'webgpu' });
    const { page } = session;
    await prepare(page);
    await goTo(page, 'Models');
    const loaded = await loadModelFolder(page, 'base', 'tiny/echo');
    await loadModelFolder(page, 'tuned', tunedModel());
    expect(loaded).toContain(backend === 'webgpu' ? 'WebGPU' : 'WASM');

    // 1. Ask: both stream at once; the fine-tuned one is stopped by hand once it has streamed.
    await ask(page, backend === 'webgpu' ? 1 : 2);
    expect(await streamState(page, 'base')).toBe('streaming');
    await stopTunedWhileStreaming(page);
    await expectEchoCitedTheOracle(page);
    expect(await text(page, 'figures-tuned')).toMatch(/Speed\d+\.\d tokens\/s/);

    // 2. The prompt is exactly what the models got: the documents in the training template, then the question.
    await page.getByRole('button', { name: 'Show the prompt' }).click();
    const prompt = await text(page, 'arena-prompt');
    expect(prompt).toContain(`</DOCUMENT>\n${QUESTION}`);
    expect(prompt).toContain(ORACLE_SENTENCE);

    if (backend === 'wasm') {
      // 3. Distractor stress: without the oracle, the same quote is no longer in any document.
      await page.getByRole('button', { name: 'Re-run without the oracle' }).click();
      await expect.poll(() => text(page, 'verdict-base'), { timeout: 120_000 }).toContain('Verdict: quote not in any document');
      expect(await page.locator('[data-testid="arena-document"][data-role="oracle"]').count()).toBe(0);
      await stopTunedWhileStreaming(page);

      // 4. A reload keeps the form and the last answers.
      await page.reload();
      await goTo(page, 'Arena');
      expect(await page.getByLabel('Ask both models').inputValue()).toBe(QUESTION);
      expect(await page.getByLabel('Max new tokens').inputValue()).toBe('2500');
      await expect.poll(() => text(page, 'verdict-base'), { timeout: 30_000 }).toContain('quote not in any document');
      expect(await text(page, 'arena-run')).toContain('oracle removed');
    }
    expect(session.external).toEqual([]);
  }, 300_000);
}

test('one language model at a time: the fine-tuned model waits for its turn, then answers', async () => {
  const session = await app.open();
  const { page } = session;
  await goTo(page, 'Settings');
  await page.getByLabel('One at a time').check();
  await prepare(page);
  await goTo(page, 'Models');
  await loadModelFolder(page, 'base', 'tiny/echo');
  await loadModelFolder(page, 'tuned', tunedModel());

  await ask(page, 1);
  expect(await streamState(page, 'base')).toBe('streaming');
  expect(await text(page, 'answer-tuned')).toContain('Waiting for its turn');
  await expectEchoCitedTheOracle(page);
  // The base model is released and the fine-tuned one (released when the base was used) loads again to answer.
  await stopTunedWhileStreaming(page);
  expect(await text(page, 'verdict-base')).toContain('Verdict: cited the oracle');
  expect(session.external).toEqual([]);
}, 300_000);
