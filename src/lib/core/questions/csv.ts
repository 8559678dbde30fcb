// CSV per RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF or CR line ends.
// The delimiter (comma, semicolon or tab) is read off the header line. Lenient where RFC 4180 is strict: text
// after a closing quote is kept, and a quote inside an unquoted field is literal.
import type { LineError } from './row-fields';

/** One record and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The header line's most frequent candidate delimiter (outside quotes); a comma when there is none. */
function detectDelimiter(text: string): string {
  const end = text.search(/\r|\n/);
  const header = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = header.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Splits CSV text into records. Blank lines (and lines of empty fields only) are skipped. An unterminated quoted
 * field is reported at the line it opens on, and the record it starts is dropped.
 */
export function parseCsv(text: string): { records: CsvRecord[]; errors: LineError[] } {
  const delimiter = detectDelimiter(text).charCodeAt(0);
  const records: CsvRecord[] = [];
  const errors: LineError[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let broken = false;
    for (;;) {
      let value = '';
      if (text.charCodeAt(i) === QUOTE) {
        // 1. Quoted part: runs to the next quote that is not doubled.
        const openLine = line;
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            errors.push({ line: openLine, message: 'unterminated quoted field (a " opens here and never closes); the rest of the file was skipped' });
            line += countLineBreaks(text, from, n);
            i = n;
            broken = true;
            break;
          }
          line += countLineBreaks(text, from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          i = close + 1;
          break;
        }
        if (broken) break;
      }
      // 2. Unquoted part (the whole field, or stray text after a closing quote): runs to a delimiter or line end.
      const start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === delimiter || c === LF || c === CR) break;
        i++;
      }
      value += text.slice(start, i);
      fields.push(value);
      if (i < n && text.charCodeAt(i) === delimiter) {
        i++;
        continue;
      }
      // 3. End of record: CRLF, LF, CR or end of text.
      if (text.charCodeAt(i) === CR) i++;
      if (text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (!broken && fields.some((field) => field.trim() !== '')) records.push({ line: recordLine, fields });
  }
  return { records, errors };
}
