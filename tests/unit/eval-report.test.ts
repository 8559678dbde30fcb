// A run as files: the JSON export (plan order, summary), the CSVs (RFC 4180 quoting), the charts and the
// self-contained HTML report (figures as the page writes them, escaped text, no script or outside request).
import { describe, expect, test } from 'vitest';
import { escapeXml } from '../../src/lib/core/charts/svg';
import { summariseRun } from '../../src/lib/core/eval/aggregate';
import { formatDelta, formatInterval, formatValue } from '../../src/lib/core/eval/format';
import { buildEvalManifest } from '../../src/lib/core/eval/manifest';
import { buildArms, defaultEvalSettings } from '../../src/lib/core/eval/plan';
import { renderReport } from '../../src/lib/core/eval/report';
import { runEvaluation } from '../../src/lib/core/eval/runner';
import { qualityChart, shownQualityMetrics, sweepChart } from '../../src/lib/core/eval/plots';
import { csvCell as csvField } from '../../src/lib/core/formats/csv-cell';
import { buildExport, exportJson, recordsCsv, summaryCsv } from '../../src/lib/core/eval/serialise';
import type { EvalRecord, EvalRun } from '../../src/lib/core/eval/types';
import { fakeRetrieve, QUESTIONS, result } from './eval-support';

async function sampleRun(): Promise<{ run: EvalRun; records: EvalRecord[] }> {
  // Lenient scoring (not the default), so the base's replies without <ANSWER>: are scored whole and have figures.
  const settings = { ...defaultEvalSettings(), systems: [{ role: 'base' as const, retrieval: true }, { role: 'tuned' as const, retrieval: true }], distractors: [0, 2], missingAnswer: 'reply' as const };
  const questions = QUESTIONS.map((q, i) => (i === 0 ? { ...q, question: 'Is <script>alert(1)</script> "safe", really?' } : q));
  const arms = buildArms(settings);
  const records: EvalRecord[] = [];
  await runEvaluation(
    { settings, arms, questions, done: new Set() },
    {
      retrieve: async (p) => fakeRetrieve()({ ...p, question: `Question ${questions.find((q) => q.question === p.question)!.pairId}?` }),
      acquire: async (role) => async () => result(role === 'tuned' ? '##begin_quote##Refunds are available within 14 days.##end_quote## <ANSWER>: 14 days' : 'It is, "probably",\n14 days'),
      save: async (r) => void records.push(r),
    },
  );
  const manifest = buildEvalManifest({
    chunks: [{ id: 'refund#1', contentHash: 'h1', articlePath: 'refund.md' }, { id: 'annual#1', contentHash: 'h2', articlePath: 'annual.md' }],
    questions,
    questionSource: { kind: 'test-split', name: 'test split' },
    models: { base: { label: 'echo (local files)', key: 'k1' }, tuned: { label: 'llama (local files)', key: 'k2' } },
    embedder: null,
  });
  return { run: { id: 'run1', createdAt: 1, updatedAt: 2, status: 'done', settings, arms, questions, manifest }, records: records.reverse() };
}

describe('CSV', () => {
  test('fields with commas, quotes, line breaks or edge spaces are quoted; null is empty', () => {
    expect([csvField('plain'), csvField('a,b'), csvField('say "hi"'), csvField('two\nlines'), csvField(' pad'), csvField(null), csvField(0.5), csvField(false), csvField(NaN)]).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '" pad"',
      '',
      '0.5',
      'false',
      '',
    ]);
  });

  test('one row per answer in plan order, one row per arm and metric in the summary', async () => {
    const { run, records } = await sampleRun();
    const data = buildExport(run, records);
    const lines = recordsCsv(data).split('\r\n');
    expect(lines[0]).toBe('arm,model,pair_id,question,reference,final_answer,scored_from,em,f1,format_valid,quotes,quote_fidelity,cited_oracle,distracted,documents,oracle_rank,article_rank,latency_ms,tokens,tokens_per_s,stopped_by,judge_remote,reply');
    expect(lines[1].startsWith('base@k5+0,"Base model, +0 distractors",q1,"Is <script>alert(1)</script> ""safe"", really?",14 days,,whole-reply,0,')).toBe(true);
    expect(recordsCsv(data).split('\r\n').filter(Boolean)).toHaveLength(1 + 12);
    const summary = summaryCsv(data).split('\r\n');
    expect(summary[0]).toBe('arm,model,metric,mean,ci_low,ci_high,n');
    expect(summary).toContain(`tuned@k5+0,"Fine-tuned model, +0 distractors",em,0.5,${data.summary.arms[2].metrics.em.low},${data.summary.arms[2].metrics.em.high},2`);
    expect(summary.some((l) => l.startsWith('retrieval@k5,retriever (lexical),mrr,'))).toBe(true);
  });
});

describe('JSON export', () => {
  test('records in plan order whatever order they were stored in; the summary equals one computed afresh', async () => {
    const { run, records } = await sampleRun();
    const data = JSON.parse(exportJson(buildExport(run, records)));
    expect(data.format).toBe('raft-playground-evaluation');
    expect(data.records.map((r: EvalRecord) => r.key).slice(0, 4)).toEqual(['base@k5+0|q1', 'base@k5+0|q2', 'base@k5+0|q3', 'base@k5+2|q1']);
    expect(data.summary).toEqual(summariseRun({ settings: run.settings, arms: run.arms, questions: run.questions, records }));
    expect(data.run.manifest.corpusFingerprint).toBe(run.manifest.corpusFingerprint);
    expect(data.run.manifest).toMatchObject({ chunks: 2, articles: 2, questions: { source: 'test split', count: 3 } });
  });
});

describe('evaluation plots', () => {
  test('the quality chart: a bar per arm and counted metric with its figure and interval, escaped', async () => {
    const { run, records } = await sampleRun();
    const summary = buildExport(run, records).summary;
    const svg = qualityChart(summary);
    const metrics = shownQualityMetrics(summary);
    // A metric no question counted for an arm (no quote to check) has no bar, not a zero.
    const counted = summary.arms.flatMap((a) => metrics.filter((m) => a.metrics[m].n > 0));
    expect(counted.length).toBeLessThan(metrics.length * summary.arms.length);
    expect(svg.match(/<rect class="chart-bar"/g)).toHaveLength(counted.length);
    const em = summary.arms[0].metrics.em;
    expect(svg).toContain(escapeXml(`${summary.arms[0].label}, Exact match: ${formatValue(em.mean, 'share')} ${formatInterval(em, 'share')} (n = ${em.n})`));
    expect(svg).toContain('class="chart-whisker"');
  });

  test('the sweep: a line per model, a point per distractor count, each model in its arm colour', async () => {
    const { run, records } = await sampleRun();
    const summary = buildExport(run, records).summary;
    const svg = sweepChart(summary, 'f1');
    const tuned = summary.arms.findIndex((a) => a.role === 'tuned');
    expect(svg.match(/<path class="chart-line"/g)).toHaveLength(2);
    expect(svg).toContain(`<path class="chart-line" d="M`);
    expect(svg).toMatch(new RegExp(`class="chart-line"[^>]*stroke:var\\(--chart-s${tuned}`));
    expect(svg.match(/<circle/g)!.length).toBeGreaterThanOrEqual(4);
  });
});

describe('HTML report', () => {
  test('self-contained: styles inline, no script, no outside request; user text escaped', async () => {
    const { run, records } = await sampleRun();
    const html = renderReport(buildExport(run, records));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=|@import|url\(/i);
    expect(html).toContain('Is &lt;script&gt;alert(1)&lt;/script&gt; &quot;safe&quot;, really?');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(5); // quality, F1 and citation sweeps, latency, speed
    expect(html).toContain(run.manifest.corpusFingerprint);
    expect(html).toContain('prefers-color-scheme:dark');
  });

  test('carries its own strict Content-Security-Policy first in <head>: no script, no request, inline styles only', async () => {
    const { run, records } = await sampleRun();
    const html = renderReport(buildExport(run, records));
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
    expect(metas).toHaveLength(1);
    expect(html.indexOf(metas[0][0])).toBeLessThan(html.indexOf('<style>'));
    expect(html.indexOf(metas[0][0])).toBeLessThan(html.indexOf('<title>'));
    const policy = Object.fromEntries(metas[0][1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['style-src']).toEqual(["'unsafe-inline'"]);
    expect(policy['script-src']).toBeUndefined(); // falls back to default-src 'none'
    expect(policy['base-uri']).toEqual(["'none'"]);
  });

  test('every figure of the summary table is the one format.ts writes for the summary', async () => {
    const { run, records } = await sampleRun();
    const data = buildExport(run, records);
    const html = renderReport(data);
    for (const arm of data.summary.arms) {
      for (const metric of ['em', 'f1', 'citation', 'format'] as const) {
        const m = arm.metrics[metric];
        const cell = new RegExp(`data-arm="${arm.armId.replace(/[+]/g, '\\+')}" data-metric="${metric}">([^<]*)<span class="ci">([^<]*)</span>`).exec(html);
        expect(cell?.[1]).toBe(formatValue(m.mean, 'share'));
        expect(cell?.[2].startsWith(formatInterval(m, 'share'))).toBe(true);
      }
    }
    expect(html).toContain(`data-arm="retrieval" data-metric="mrr">${formatValue(data.summary.retrieval!.mrr.mean, 'score')}`);
    // Fine-tuned minus base at each distractor count: the tuned arm quotes the oracle and answers right, the base one does not.
    expect(data.summary.comparisons.map((c) => c.label)).toEqual(['Fine-tuned − base (+0 distractors)', 'Fine-tuned − base (+2 distractors)']);
    expect(html).toContain(`data-arm="tuned@k5+0" data-metric="delta-format">${formatDelta(data.summary.comparisons[0].metrics.format!.mean)}`);
    expect(formatDelta(data.summary.comparisons[0].metrics.format!.mean)).toBe('+100.0 pts');
    expect(summaryCsv(data)).toContain('tuned@k5+2-base@k5+2,Fine-tuned − base (+2 distractors),delta_format,1,1,1,3');
    expect(escapeXml(`a"b'c`)).toBe('a&quot;b&#39;c');
  });
});
