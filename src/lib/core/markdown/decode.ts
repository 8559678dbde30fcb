// Turns a file's bytes into text, refusing binary files and invalid UTF-8 with a message the user can act on.

/** How many leading bytes are inspected for signs of a binary file. */
const SNIFF_BYTES = 8192;
/** Above this share of control characters (tab, newlines, form feed and escape aside) a file counts as binary. */
const MAX_CONTROL_RATIO = 0.1;

/**
 * Decodes UTF-8 (or UTF-16 with a byte-order mark) to a string without its BOM.
 * Returns `{ error }` for binary data (NUL bytes, or many control characters) and for invalid UTF-8.
 */
export function decodeText(bytes: Uint8Array): { text: string } | { error: string } {
  if (hasUtf16Bom(bytes)) return decodeUtf16(bytes);
  const sniff = bytes.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (const byte of sniff) {
    if (byte === 0) return { error: 'This looks like a binary file (it contains NUL bytes), not text: skipped it' };
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) controls++;
    else if (byte === 0x7f) controls++;
  }
  if (sniff.length > 0 && controls / sniff.length > MAX_CONTROL_RATIO) {
    return { error: 'This looks like a binary file (it is full of control characters), not text: skipped it' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    const line = bad < 0 ? '' : ` (first bad byte on line ${lossy.slice(0, bad).split('\n').length})`;
    return { error: `This file is not valid UTF-8 text${line}: re-save it as UTF-8 and add it again` };
  }
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

function decodeUtf16(bytes: Uint8Array): { text: string } | { error: string } {
  const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { error: `This file starts like ${encoding.toUpperCase()} text but is not valid: re-save it as UTF-8 and add it again` };
  }
}
