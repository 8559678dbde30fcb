// Byte-level BPE pieces: GPT-2's byte-to-character table and pre-tokenizer, and a
// tiny deterministic merge trainer.

/** GPT-2's pre-tokenizer pattern, as the ByteLevel pre-tokenizer applies it. */
const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/**
 * GPT-2's byte-to-character table, indexed by byte: printable Latin-1 bytes map
 * to themselves, the others to U+0100 onwards (so `\n` becomes `Ċ`).
 */
export const BYTE_CHARS: readonly string[] = (() => {
  const printable = (b: number): boolean =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const chars: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) chars.push(String.fromCharCode(printable(b) ? b : next++));
  return chars;
})();

const textEncoder = new TextEncoder();

/** Splits text the way the ByteLevel pre-tokenizer does and maps each piece to byte characters. */
export function byteLevelPieces(text: string): string[] {
  const pieces = text.match(GPT2_PATTERN) ?? [];
  return pieces.map((piece) => Array.from(textEncoder.encode(piece), (b) => BYTE_CHARS[b]).join(''));
}

/**
 * Learns up to `maxMerges` BPE merges from `text`. Each round merges the most
 * frequent adjacent pair; ties go to the pair that sorts first, so the result
 * depends only on the text. Stops early when no pair occurs twice.
 */
export function trainMerges(text: string, maxMerges: number): [string, string][] {
  const wordCounts = new Map<string, number>();
  for (const piece of byteLevelPieces(text)) wordCounts.set(piece, (wordCounts.get(piece) ?? 0) + 1);
  const words = [...wordCounts].map(([word, count]) => ({ symbols: [...word], count }));

  const merges: [string, string][] = [];
  while (merges.length < maxMerges) {
    const pairCounts = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = 1;
    for (const [key, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === null) break;
    const [left, right] = best.split('\u0000') as [string, string];
    merges.push([left, right]);
    for (const word of words) word.symbols = mergePair(word.symbols, left, right);
  }
  return merges;
}

function mergePair(symbols: string[], left: string, right: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      out.push(left + right);
      i++;
    } else {
      out.push(symbols[i]);
    }
  }
  return out;
}
