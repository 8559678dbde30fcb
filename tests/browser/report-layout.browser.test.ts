// The HTML evaluation report fits its window (1280 px and a 390 px phone): long words and URLs wrap, wide
// tables scroll inside their own box, so the page itself never scrolls sideways.
import { expect, inject, test } from 'vitest';
import { buildEvalManifest } from '../../src/lib/core/eval/manifest';
import { buildArms, defaultEvalSettings } from '../../src/lib/core/eval/plan';
import { renderReport } from '../../src/lib/core/eval/report';
import { runEvaluation } from '../../src/lib/core/eval/runner';
import { buildExport } from '../../src/lib/core/eval/serialise';
import type { EvalRecord, EvalRun } from '../../src/lib/core/eval/types';
import { fakeRetrieve, QUESTIONS, result } from '../unit/eval-support';

const backend = inject('backend');
const URL_WORD = 'https://docs.example.com/billing/refunds/annual-plans/prorated-credit-after-cancellation?section=exceptions&lang=en';

async function wideReport(): Promise<string> {
  const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }, { role: 'tuned' as const, retrieval: true }], distractors: [0, 2, 4] };
  const questions = QUESTIONS.map((q, i) => (i === 0 ? { ...q, question: `Where is ${URL_WORD} documented, and what does supercalifragilisticexpialidocious-refund-policy-v2 say?`, answer: URL_WORD } : q));
  const arms = buildArms(settings);
  const records: EvalRecord[] = [];
  await runEvaluation(
    { settings, arms, questions, done: new Set() },
    {
      retrieve: async (p) => fakeRetrieve()({ ...p, question: `Question ${questions.find((q) => q.question === p.question)!.pairId}?` }),
      acquire: async (role) => async () => result(role === 'tuned' ? `##begin_quote##${URL_WORD}##end_quote## <ANSWER>: ${URL_WORD}` : `See ${URL_WORD}${URL_WORD}`),
      save: async (r) => void records.push(r),
    },
  );
  const manifest = buildEvalManifest({
    chunks: [{ id: 'refund#1', contentHash: 'h1', articlePath: `billing/${'very-long-folder-name/'.repeat(6)}refund.md` }],
    questions,
    questionSource: { kind: 'test-split', name: 'test split' },
    models: { base: { label: 'echo (local files)', key: 'k1' }, tuned: { label: 'llama (local files)', key: 'k2' } },
    embedder: null,
  });
  const run = { id: 'run1', createdAt: 1, updatedAt: 2, status: 'done', settings, arms, questions, manifest } as EvalRun;
  return renderReport(buildExport(run, records));
}

/** Loads the report into a frame `width` px wide; returns the page's overflow and every table's clip. */
async function layoutAt(html: string, width: number) {
  const frame = document.createElement('iframe');
  frame.style.cssText = `width:${width}px;height:800px;border:0`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.srcdoc = html;
  document.body.append(frame);
  await loaded;
  const root = frame.contentDocument!.documentElement;
  const tables = [...frame.contentDocument!.querySelectorAll('table')].map((table) => {
    const box = table.closest('.scroll') as HTMLElement | null;
    // A table wider than the page is fine only inside a box that scrolls it.
    const scrolls = !!box && getComputedStyle(box).overflowX === 'auto';
    return { id: table.id, whole: table.scrollWidth <= (table.parentElement?.clientWidth ?? 0) + 1, fits: table.getBoundingClientRect().right <= root.clientWidth + 1 || scrolls };
  });
  const result = { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, tables };
  frame.remove();
  return result;
}

test.runIf(backend === 'wasm')('the report fits 1280 px and 390 px windows: no sideways page scroll, wide tables in scroll boxes', async () => {
  const html = await wideReport();
  for (const width of [1280, 390]) {
    const layout = await layoutAt(html, width);
    expect(layout.scrollWidth, `page width at ${width} px`).toBeLessThanOrEqual(layout.clientWidth);
    expect(layout.tables.filter((t) => !t.fits), `tables cut off at ${width} px`).toEqual([]);
  }
  // At 1280 px nothing hides behind a scroll: Summary shows every column up to Tokens/s, Every answer every column.
  const wide = await layoutAt(html, 1280);
  expect(wide.tables.map((t) => t.id)).toEqual(['summary', 'comparison', 'retrieval', 'answers']);
  expect(wide.tables.filter((t) => !t.whole).map((t) => t.id)).toEqual([]);
});
