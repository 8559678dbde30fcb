// Turns text into search terms for BM25 and highlighting: case- and accent-folded words and numbers,
// common English stop words dropped, a light plural stem; and the text BM25 indexes for a chunk.

const STOP_WORDS = new Set(
  'a an and are as at be but by can do does for from how i if in into is it its of on or so than that the their then there these this to was what when where which who why will with you your'.split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;

/** Folds case and accents: "Résumé" → "resume". */
export function foldText(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '');
}

export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Search terms of `text`, in order, with repeats. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of foldText(text).matchAll(WORD)) {
    const word = match[0];
    if (!STOP_WORDS.has(word)) out.push(stem(word));
  }
  return out;
}

/**
 * The text BM25 indexes for a chunk: its article's title and heading path, one per line, before the chunk's
 * text. A question names its topic ("How do I rotate a webhook secret?") more often than the chunk that answers
 * it does; measured on the sample wiki, lexical recall@1 0.65 -> 0.775 and MRR@10 0.77 -> 0.85 (README, Search).
 * NOTE: repeats are kept (a title that is also the first heading counts twice): it measured better than dropping them.
 */
export function lexicalDocument(title: string, headingPath: readonly string[], text: string): string {
  return [title, ...headingPath, text].filter(Boolean).join('\n');
}
