// The one writer of a CSV cell: RFC 4180 quoting, plus the OWASP defence against formula injection, so a
// question or answer such as `=HYPERLINK(...)` opens in a spreadsheet as text, never as a formula.

/** Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (the
 * cell then shows as text); numbers and booleans are written as they are (a negative number stays a number).
 * Quoted when it holds a comma, quote or line break, or starts or ends with white space; null, undefined and
 * non-finite numbers are empty.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of cells as CSV text, CRLF line ends and a final line break. */
export function csvRows(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
