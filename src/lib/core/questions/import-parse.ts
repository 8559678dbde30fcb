// Parses a question import file (JSONL, a JSON array or `{ "questions": [...] }`, or CSV with a header row) into
// raw rows, each with the line it came from, and a list of the lines that could not be used and why.
import { messageOf } from '../errors';
import { parseCsv } from './csv';
import { fieldOf, rowFromRecord, type LineError } from './row-fields';
import type { RawQuestionRow } from './types';

export type { LineError } from './row-fields';

/** The import file formats understood. */
export type ImportFormat = 'jsonl' | 'json' | 'csv';

/** Rows that can be resolved, and problems by line; a line can be in both (a row kept, one field ignored). */
export interface ImportParseResult {
  format: ImportFormat;
  rows: RawQuestionRow[];
  errors: LineError[];
}

/**
 * The format of a file: `.csv`/`.tsv` names are CSV; otherwise content starting with `[` is JSON, content starting
 * with `{` is JSON when the whole text is one object holding a `questions` array (or any one object in a `.json`
 * file) and JSONL otherwise; anything else is JSONL or JSON when the name says so, else CSV.
 */
export function detectFormat(fileName: string, text: string): ImportFormat {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (extension === 'csv' || extension === 'tsv') return 'csv';
  const body = stripBom(text).trimStart();
  if (body.startsWith('[')) return 'json';
  if (body.startsWith('{')) {
    const whole = parseWhole(body);
    return whole !== undefined && (extension === 'json' || (isRecord(whole) && Array.isArray(whole.questions))) ? 'json' : 'jsonl';
  }
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  if (extension === 'json') return 'json';
  return 'csv';
}

/** Parses an import file; `fileName` only helps to tell the format (see {@link detectFormat}). */
export function parseImport(text: string, fileName = ''): ImportParseResult {
  const body = stripBom(text);
  const format = detectFormat(fileName, body);
  if (body.trim() === '') return { format, rows: [], errors: [{ line: 1, message: 'the file is empty' }] };
  const result = format === 'jsonl' ? parseJsonl(body) : format === 'json' ? parseJson(body) : parseCsvRows(body);
  return { format, ...result };
}

type Parsed = Omit<ImportParseResult, 'format'>;

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The text parsed as one JSON value, or undefined when it is not one (e.g. JSONL: parsing stops at line 2). */
function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function addRecord(out: Parsed, value: unknown, line: number): void {
  if (!isRecord(value)) {
    out.errors.push({ line, message: 'not a JSON object: expected {"question": ..., "answer": ..., ...}' });
    return;
  }
  const { row, errors } = rowFromRecord(value, line);
  if (row) out.rows.push(row);
  out.errors.push(...errors);
}

function parseJsonl(text: string): Parsed {
  const out: Parsed = { rows: [], errors: [] };
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const source = text.slice(start, end);
    start = end + 1;
    if (source.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      out.errors.push({ line, message: `not valid JSON: ${messageOf(error)}` });
      continue;
    }
    addRecord(out, value, line);
  }
  return out;
}

function parseJson(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = messageOf(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : Number(/line (\d+)/.exec(message)?.[1] ?? 1);
    return { rows: [], errors: [{ line, message: `not valid JSON: ${message}` }] };
  }
  const items = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.questions) ? value.questions : null;
  if (!items) return { rows: [], errors: [{ line: 1, message: 'expected an array of question objects, or {"questions": [...]}' }] };
  const lines = elementLines(text);
  const out: Parsed = { rows: [], errors: [] };
  items.forEach((item, k) => addRecord(out, item, lines[k] ?? 1));
  return out;
}

function lineAt(text: string, position: number): number {
  return 1 + countNewlines(text, Math.min(position, text.length));
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * The line each element of the question list starts on: the root array's elements, or those of the `questions`
 * array of a root object. Assumes valid JSON (already parsed), where strings hold no raw line breaks.
 */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  const rootIsObject = text.trimStart().startsWith('{');
  let line = 1;
  let depth = 0;
  let listDepth = -1;
  let expecting = false;
  let lastString = '';
  let key = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (c === 10 || c === 13 || c === 32 || c === 9) continue;
    if (expecting && depth === listDepth && c !== 93) {
      lines.push(line);
      expecting = false;
    }
    if (c === 34) {
      let close = text.indexOf('"', i + 1);
      while (close > 0 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
      if (close < 0) break;
      if (depth === 1) lastString = text.slice(i + 1, close);
      i = close;
    } else if (c === 58 && depth === 1) {
      key = lastString;
    } else if (c === 91 || c === 123) {
      depth++;
      if (c === 91 && (rootIsObject ? depth === 2 && key === 'questions' : depth === 1) && listDepth < 0) {
        listDepth = depth;
        expecting = true;
      }
    } else if (c === 93 || c === 125) {
      if (depth === listDepth) listDepth = -2;
      depth--;
    } else if (c === 44 && depth === listDepth) {
      expecting = true;
    }
  }
  return lines;
}

function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
}

function parseCsvRows(text: string): Parsed {
  const { records, errors } = parseCsv(text);
  const out: Parsed = { rows: [], errors };
  const header = records[0];
  if (!header) return out;
  const names = header.fields.map((name) => name.trim());
  if (!names.some((name) => fieldOf(name) === 'question')) {
    out.errors.push({ line: header.line, message: `the header row has no "question" column (found: ${names.join(', ')})` });
    return out;
  }
  for (const { line, fields } of records.slice(1)) {
    if (fields.length > names.length && fields.slice(names.length).some((f) => f.trim() !== '')) {
      const hint = 'a comma inside an unquoted field? Put the field in "double quotes"';
      out.errors.push({ line, message: `the row has ${fields.length} fields but the header has ${names.length} (${hint})` });
      continue;
    }
    const record: Record<string, string> = {};
    names.forEach((name, k) => {
      if (name && record[name] === undefined) record[name] = fields[k] ?? '';
    });
    addRecord(out, record, line);
  }
  out.errors.sort((a, b) => a.line - b.line);
  return out;
}
