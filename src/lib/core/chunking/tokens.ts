// Token counting for chunking: a model-free approximation, and a meter that caches the injected counter
// and separates the tokenizer's fixed overhead (special tokens) from the cost of each piece of text.
import type { CountTokens } from './types';

const SPACE = 0;
const WORD = 1;
const PUNCT = 2;

const ASCII_CLASS = new Uint8Array(128).map((_, code) => {
  if (code <= 0x20 || code === 0x7f) return SPACE;
  const ch = String.fromCharCode(code);
  return /[A-Za-z0-9_']/.test(ch) ? WORD : PUNCT;
});

/** A word longer than this many characters counts as several tokens, as subword tokenizers would cut it. */
const CHARS_PER_LONG_WORD_TOKEN = 10;

function isIdeograph(code: number): boolean {
  return (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff);
}

function classOf(code: number): number {
  if (code < 128) return ASCII_CLASS[code];
  if (code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200b) || code === 0x2028 || code === 0x2029) return SPACE;
  if ((code >= 0x2010 && code <= 0x205e) || (code >= 0x3001 && code <= 0x303f) || (code >= 0xff01 && code <= 0xff0f)) return PUNCT;
  return WORD;
}

/**
 * Model-free token estimate: one per word, one per punctuation mark, one per CJK character, and one more per
 * 10 characters of a long word. A fallback for when no tokenizer is loaded; roughly 0.75-1× a WordPiece count.
 */
export function approximateTokenCount(text: string): number {
  let count = 0;
  let wordLength = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = classOf(code);
    if (kind === WORD && !isIdeograph(code)) {
      if (wordLength % CHARS_PER_LONG_WORD_TOKEN === 0) count++;
      wordLength++;
      continue;
    }
    wordLength = 0;
    if (kind !== SPACE) count++;
  }
  return count;
}

/**
 * Wraps a CountTokens so each distinct string is counted once, and so costs add up:
 * `cost(a + sep + b) ≈ cost(a) + join(sep) + cost(b)`, with the tokenizer's fixed overhead counted once per chunk.
 */
export class TokenMeter {
  /** Tokens the counter reports for empty text (special tokens such as [CLS] and [SEP]). */
  readonly overhead: number;
  private readonly cache = new Map<string, number>();
  private readonly joins = new Map<string, number>();

  constructor(private readonly countTokens: CountTokens) {
    this.overhead = Math.max(0, countTokens(''));
  }

  /** Tokens `text` adds to a chunk, without the fixed overhead. */
  cost(text: string): number {
    let tokens = this.cache.get(text);
    if (tokens === undefined) {
      tokens = Math.max(0, this.countTokens(text) - this.overhead);
      this.cache.set(text, tokens);
    }
    return tokens;
  }

  /** Extra tokens that joining two pieces with `separator` costs (a newline is a token for some BPE tokenizers). */
  join(separator: string): number {
    let tokens = this.joins.get(separator);
    if (tokens === undefined) {
      tokens = Math.max(0, this.countTokens(`a${separator}a`) - this.overhead - 2 * this.cost('a'));
      this.joins.set(separator, tokens);
    }
    return tokens;
  }
}
