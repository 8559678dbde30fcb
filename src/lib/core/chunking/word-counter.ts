// Exact token counting at a fraction of the tokenizer's cost, for tokenizers whose count of a text is
// the sum of the counts of its whitespace-separated words (BERT-style WordPiece: the MiniLM, BGE, E5 and
// GTE embedders). Such a counter tokenises each distinct word once and answers repeats from a cache;
// chunking counts every block, sentence and overlap, so most of its words are repeats.
import type { CountTokens } from './types';

/** The parts of a tokenizer.json that decide whether counts add up across whitespace. */
export interface TokenizerDescription {
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  model?: unknown;
  added_tokens?: unknown;
}

/**
 * Normalizers that act on each character on its own (or only trim the ends), so they never join two
 * words: lowercasing, accent stripping, Unicode normal forms, BERT's clean-up (which turns tab,
 * newline and carriage return into spaces and pads CJK characters with spaces).
 */
const LOCAL_NORMALIZERS = new Set(['BertNormalizer', 'Lowercase', 'StripAccents', 'NFC', 'NFD', 'NFKC', 'NFKD', 'Strip']);
/** Pre-tokenizers that split at every whitespace character and emit nothing for it. */
const WHITESPACE_SPLITTERS = new Set(['BertPreTokenizer', 'Whitespace', 'WhitespaceSplit']);
/** Pre-tokenizers that only split further inside a word (allowed after a whitespace splitter). */
const INNER_SPLITTERS = new Set(['Punctuation', 'Digits']);
/** Models that encode each pre-token on its own. */
const PER_WORD_MODELS = new Set(['WordPiece', 'WordLevel']);

const typeOf = (part: unknown): string | null =>
  part && typeof part === 'object' && typeof (part as { type?: unknown }).type === 'string' ? (part as { type: string }).type : null;

function normalizerIsLocal(normalizer: unknown): boolean {
  if (normalizer === null || normalizer === undefined) return true;
  const type = typeOf(normalizer);
  if (type === 'Sequence') {
    const parts = (normalizer as { normalizers?: unknown }).normalizers;
    return Array.isArray(parts) && parts.every(normalizerIsLocal);
  }
  return type !== null && LOCAL_NORMALIZERS.has(type);
}

function splitsWords(preTokenizer: unknown): boolean {
  const type = typeOf(preTokenizer);
  if (type === 'Sequence') {
    const parts = (preTokenizer as { pretokenizers?: unknown }).pretokenizers;
    if (!Array.isArray(parts)) return false;
    const types = parts.map(typeOf);
    return types.some((t) => t !== null && WHITESPACE_SPLITTERS.has(t)) && types.every((t) => t !== null && (WHITESPACE_SPLITTERS.has(t) || INNER_SPLITTERS.has(t)));
  }
  return type !== null && WHITESPACE_SPLITTERS.has(type);
}

/**
 * Whether a tokenizer with this tokenizer.json counts `a b` as `count(a) + count(b)` for every split at
 * a space, tab, newline or carriage return. Only configurations known to do so answer true; anything
 * unknown (byte-level BPE, SentencePiece's Metaspace, Replace or Prepend normalizers) answers false.
 */
export function countsAddUpOverWords(description: TokenizerDescription | null | undefined): boolean {
  if (!description) return false;
  const model = typeOf(description.model);
  if (model === null || !PER_WORD_MODELS.has(model)) return false;
  // An added token with whitespace inside would be cut in two by the word split.
  const added = Array.isArray(description.added_tokens) ? description.added_tokens : [];
  if (added.some((t) => typeof (t as { content?: unknown })?.content !== 'string' || /\s/.test((t as { content: string }).content))) return false;
  return normalizerIsLocal(description.normalizer) && splitsWords(description.pre_tokenizer);
}

/** The word separators: the ASCII whitespace every tokenizer accepted above turns into a split. */
const isSeparator = (code: number) => code === 32 || code === 10 || code === 9 || code === 13;

/**
 * A counter that sums `count` over the words of a text (runs between spaces, tabs, newlines and
 * carriage returns), counting each distinct word once. Equal to `count` exactly when
 * {@link countsAddUpOverWords} holds for its tokenizer. The cache is cleared once it holds `maxWords`.
 */
export function wordCachedCounter(count: CountTokens, maxWords = 1 << 18): CountTokens {
  const cache = new Map<string, number>();
  return (text) => {
    let total = 0;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length && !isSeparator(text.charCodeAt(i))) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      const word = text.slice(start, i);
      start = -1;
      let tokens = cache.get(word);
      if (tokens === undefined) {
        tokens = count(word);
        if (cache.size >= maxWords) cache.clear();
        cache.set(word, tokens);
      }
      total += tokens;
    }
    return total;
  };
}

/**
 * The fastest exact counter for a tokenizer: {@link wordCachedCounter} over `count` when its counts
 * add up over words, else `count` itself. `count` must count without special tokens.
 */
export function exactTokenCounter(description: TokenizerDescription | null | undefined, count: CountTokens): CountTokens {
  return countsAddUpOverWords(description) ? wordCachedCounter(count) : count;
}
