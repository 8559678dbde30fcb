// The self-contained HTML report of a run: one file with its own styles (light and dark), the plots as
// inline SVG, the summary and retrieval tables, the settings, the manifest and every answer. No script,
// no external request, so a course can mail it around. Figures are written by format.ts, as on the page.
import { escapeXml as esc } from '../charts/svg';
import { METRICS, type MetricKind } from './aggregate';
import { formatDelta, formatDeltaInterval, formatInterval, formatValue, missingAnswerRule } from './format';
import { CHART_TITLES, hasSweep, qualityChart, shownQualityMetrics, speedChart, sweepChart } from './plots';
import type { EvalExport } from './serialise';
import type { MetricId, MetricSummary } from './types';

/** The report's own policy: no script, no request of any kind; only its inline styles (and the SVG's style attributes). */
export const REPORT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f27;--muted:#596171;--border:#d8dce3;--soft:#eef0f4;--s0:#2f5fd0;--s1:#1d7a46;--s2:#b0451f;--s3:#7a4fc0;--s4:#8a6d00;--s5:#0f7c8a}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e9ef;--muted:#a2aab8;--border:#343a45;--soft:#1a1e24;--s0:#7aa2ff;--s1:#5fd08f;--s2:#f0936b;--s3:#c4a3ff;--s4:#e8c95a;--s5:#5fcfdc}}
body{font:15px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg);margin:0 auto;max-width:1100px;padding:1.5rem;overflow-wrap:break-word}
h1{font-size:1.7rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem}p.lead{color:var(--muted);margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;vertical-align:top;padding:.35rem .55rem;border-bottom:1px solid var(--border);overflow-wrap:anywhere}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}.scroll{overflow-x:auto}tbody th{min-width:9rem}.ci{color:var(--muted);font-size:.85em;display:block;white-space:normal;overflow-wrap:normal}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
code,pre{font-family:ui-monospace,monospace;font-size:.85em}pre{white-space:pre-wrap;background:var(--soft);padding:.5rem;border-radius:6px}
.charts{display:grid;grid-template-columns:minmax(0,1fr);gap:1.5rem}.speed{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1.5rem;max-width:760px}figure{margin:0;max-width:760px;min-width:0}figcaption{font-weight:600;margin-bottom:.3rem}
:root{--chart-fg:var(--fg);--chart-muted:var(--muted);--chart-grid:var(--border);${[0, 1, 2, 3, 4, 5].map((i) => `--chart-s${i}:var(--s${i})`).join(';')}}
.note{color:var(--muted);font-size:.9em}`;

function cell(summary: MetricSummary, metric: string, armId: string, kind: MetricKind): string {
  return `<td class="num" data-arm="${esc(armId)}" data-metric="${esc(metric)}">${esc(formatValue(summary.mean, kind))}<span class="ci">${esc(formatInterval(summary, kind))}${summary.n ? ` n = ${summary.n}` : ''}</span></td>`;
}

function summaryTable(data: EvalExport): string {
  const metrics: MetricId[] = [...shownQualityMetrics(data.summary), 'latency', 'tps'];
  const head = `<tr><th scope="col">Model</th><th scope="col">Answered</th>${metrics.map((m) => `<th scope="col" title="${esc(METRICS[m].description)}">${esc(METRICS[m].label)}</th>`).join('')}</tr>`;
  const rows = data.summary.arms
    .map((a) => `<tr data-arm="${esc(a.armId)}"><th scope="row">${esc(a.label)}</th><td class="num">${a.answered}</td>${metrics.map((m) => cell(a.metrics[m], m, a.armId, METRICS[m].kind)).join('')}</tr>`)
    .join('');
  return `<div class="scroll"><table id="summary"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function comparisonTable(data: EvalExport): string {
  const comparisons = data.summary.comparisons;
  if (!comparisons.length) return '';
  const metrics = shownQualityMetrics(data.summary);
  const head = `<tr><th scope="col">Same retrieval</th>${metrics.map((m) => `<th scope="col">${esc(METRICS[m].label)}</th>`).join('')}</tr>`;
  const rows = comparisons
    .map((c) => `<tr><th scope="row">${esc(c.label)}</th>${metrics.map((m) => { const d = c.metrics[m]; return `<td class="num" data-arm="${esc(c.armId)}" data-metric="delta-${m}">${esc(d ? formatDelta(d.mean) : '—')}<span class="ci">${esc(d ? formatDeltaInterval(d) : '')}</span></td>`; }).join('')}</tr>`)
    .join('');
  return `<h3>Fine-tuned minus base</h3><p class="note">Per-question differences in percentage points, paired over the questions both answered, with 95% bootstrap intervals.</p><div class="scroll"><table id="comparison"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function retrievalTable(data: EvalExport): string {
  const r = data.summary.retrieval;
  if (!r) return '<p class="note">No model ran with retrieval.</p>';
  return `<div class="scroll"><table id="retrieval"><thead><tr><th scope="col">Retriever</th><th scope="col">Questions</th><th scope="col">Recall@${r.k} (oracle chunk)</th><th scope="col">MRR@${r.k}</th><th scope="col">Recall@${r.k} (oracle article)</th></tr></thead><tbody><tr><th scope="row">${esc(r.mode)}</th><td class="num">${r.n}</td>${cell(r.recall_at_k, 'recall_at_k', 'retrieval', 'share')}${cell(r.mrr, 'mrr', 'retrieval', 'score')}${cell(r.article_recall_at_k, 'article_recall_at_k', 'retrieval', 'share')}</tr></tbody></table></div>`;
}

function settingsList(data: EvalExport): string {
  const s = data.run.settings;
  const g = s.generation;
  const items: [string, string][] = [
    ['Models', data.run.arms.map((a) => a.label).join('; ')],
    ['Retrieval', `${s.mode}, k = ${s.k}, oracle ${s.oracle}, extra distractors ${s.distractors.join(', ')}`],
    ['Generation', g.greedy ? `greedy, max ${g.maxNewTokens} new tokens` : `sampling (temperature ${g.temperature}, top-p ${g.topP}: not reproducible), max ${g.maxNewTokens} new tokens`],
    ['Scoring', missingAnswerRule(s.missingAnswer)],
    ['Bootstrap', `${s.resamples} resamples, seed ${s.seed}, 95% percentile intervals`],
    ['LLM judge', s.judge ? 'on (remote endpoint; marked "Judge (remote)")' : 'off'],
    ['Status', `${data.run.status}, ${data.records.length} of ${data.run.arms.length * data.questions.length} answers`],
    ['Run', `${data.run.id}, started ${new Date(data.run.createdAt).toISOString()}`],
  ];
  return `<dl id="settings">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl><h3>Prompt template</h3><pre>${esc(JSON.stringify(s.template, null, 2))}</pre>`;
}

function manifestList(data: EvalExport): string {
  const m = data.run.manifest;
  const models = Object.entries(m.models).map(([role, model]) => `${role}: ${model?.label} (${model?.key})`);
  const items: [string, string][] = [
    ['Corpus fingerprint', m.corpusFingerprint],
    ['Corpus', `${m.articles} articles, ${m.chunks} chunks`],
    ['Questions', `${m.questions.count} from ${m.questions.source} (fingerprint ${m.questions.fingerprint})`],
    ['Language models', models.join('; ') || 'none'],
    ['Embedding model', m.embedder ?? 'none (lexical retrieval)'],
  ];
  return `<dl id="manifest">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function answersTable(data: EvalExport): string {
  const arms = new Map(data.run.arms.map((a) => [a.id, a.label]));
  const questions = new Map(data.questions.map((q) => [q.pairId, q]));
  const share = (v: number | null) => esc(formatValue(v, 'share'));
  const rows = data.records
    .map((r) => {
      const q = questions.get(r.pairId);
      const flag = (v: boolean | null) => (v === null ? '—' : v ? 'yes' : 'no');
      return `<tr><td>${esc(arms.get(r.armId) ?? r.armId)}</td><td>${esc(q?.question ?? r.pairId)}</td><td>${esc(q?.answer ?? '')}</td><td>${esc(r.analysis.finalAnswer ?? `(no <ANSWER>:) ${r.score.scored.slice(0, 200)}`)}</td><td class="num">${share(r.score.em)}</td><td class="num">${share(r.score.f1)}</td><td>${flag(r.analysis.citedOracle)}</td><td>${flag(r.analysis.formatValid)}</td>${data.run.settings.judge ? `<td>${r.judge ? flag(r.judge.correct) : '—'}</td>` : ''}</tr>`;
    })
    .join('');
  const judge = data.run.settings.judge ? '<th scope="col">Judge (remote)</th>' : '';
  return `<div class="scroll"><table id="answers"><thead><tr><th scope="col">Model</th><th scope="col">Question</th><th scope="col">Reference</th><th scope="col">Final answer</th><th scope="col">EM</th><th scope="col">F1</th><th scope="col">Cited oracle</th><th scope="col">Format</th>${judge}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The whole report; `title` defaults to "RAFT evaluation". */
export function renderReport(data: EvalExport, title = 'RAFT evaluation'): string {
  const fig = (caption: string, svg: string) => `<figure><figcaption>${esc(caption)}</figcaption>${svg}</figure>`;
  const sweep = hasSweep(data.summary) ? fig(CHART_TITLES.sweep('f1'), sweepChart(data.summary, 'f1', 'r-sweep-f1')) + fig(CHART_TITLES.sweep('citation'), sweepChart(data.summary, 'citation', 'r-sweep-citation')) : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CONTENT_SECURITY_POLICY}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="lead">Made with RAFT Playground. Intervals are 95% percentile bootstrap intervals over questions (seeded, so the same answers give the same intervals).</p>
<h2>Summary</h2>
<p class="note" id="scoring-rule">${esc(missingAnswerRule(data.run.settings.missingAnswer))}</p>
${summaryTable(data)}
${comparisonTable(data)}
<h2>Retrieval alone</h2>
${retrievalTable(data)}
<h2>Plots</h2>
<div class="charts">${fig(CHART_TITLES.quality, qualityChart(data.summary, 'r-quality'))}${sweep}<div class="speed">${fig(CHART_TITLES.latency, speedChart(data.summary, 'latency', 'r-latency'))}${fig(CHART_TITLES.tps, speedChart(data.summary, 'tps', 'r-tps'))}</div></div>
<h2>Settings</h2>
${settingsList(data)}
<h2>Dataset manifest</h2>
${manifestList(data)}
<h2>Every answer</h2>
${answersTable(data)}
<h2>Metrics</h2>
<dl>${(Object.keys(METRICS) as MetricId[]).map((m) => `<dt>${esc(METRICS[m].label)}</dt><dd>${esc(METRICS[m].description)}</dd>`).join('')}</dl>
</body></html>
`;
}
