// The four files of a run, as the page's downloads and the CLI's --out write them.
import { renderReport } from './report';
import { buildExport, exportJson, recordsCsv, summaryCsv, type EvalExport } from './serialise';
import type { EvalRecord, EvalRun } from './types';

export interface EvalFiles {
  'evaluation.json': string;
  'evaluation-questions.csv': string;
  'evaluation-summary.csv': string;
  'evaluation-report.html': string;
}

/** The export of a run (its summary computed afresh over every record) and its files. */
export function evalFiles(run: EvalRun, records: Iterable<EvalRecord>): { data: EvalExport; files: EvalFiles } {
  const data = buildExport(run, records);
  return { data, files: { 'evaluation.json': exportJson(data), 'evaluation-questions.csv': recordsCsv(data), 'evaluation-summary.csv': summaryCsv(data), 'evaluation-report.html': renderReport(data) } };
}
