// The RAFT answer format, written and read in one place: "##Reason: ... ##begin_quote##<verbatim
// text>##end_quote## ... <ANSWER>: <final answer>". Reading tolerates what real models produce.

export const BEGIN_QUOTE = '##begin_quote##';
export const END_QUOTE = '##end_quote##';
export const ANSWER_TAG = '<ANSWER>:';

export interface CotParts {
  /** The document the quote comes from, e.g. its title and heading path. */
  sourceLabel: string;
  quote: string;
  answer: string;
}

/** A chain-of-thought answer that quotes the oracle verbatim and ends with the final answer. */
export function writeCotAnswer({ sourceLabel, quote, answer }: CotParts): string {
  return `##Reason: The document "${sourceLabel}" says ${BEGIN_QUOTE}${quote}${END_QUOTE} This answers the question directly. ${ANSWER_TAG} ${answer}`;
}

/** The answer for examples whose oracle was left out: no quote to give, answer from what was learned. */
export function writeNoOracleAnswer(answer: string): string {
  return `##Reason: None of the documents answers this question, so I answer from what I know. ${ANSWER_TAG} ${answer}`;
}

/**
 * Quotes between the markers, in order. Tolerates case and spacing variations of the markers
 * (`## begin_quote ##`), and an unterminated last quote (kept up to `<ANSWER>:` or the end).
 */
export function extractQuotes(text: string): string[] {
  const quotes: string[] = [];
  const begin = /##\s*begin_quote\s*##/gi;
  const end = /##\s*end_quote\s*##/gi;
  let match: RegExpExecArray | null;
  while ((match = begin.exec(text))) {
    const start = match.index + match[0].length;
    end.lastIndex = start;
    const close = end.exec(text);
    const nextBegin = text.slice(start).search(/##\s*begin_quote\s*##/i);
    const answerAt = text.slice(start).search(/<ANSWER>\s*:/i);
    let stop = close ? close.index : text.length;
    if (!close && answerAt >= 0) stop = start + answerAt;
    if (nextBegin >= 0 && start + nextBegin < stop) stop = start + nextBegin;
    const quote = text.slice(start, stop).trim();
    if (quote) quotes.push(quote);
    begin.lastIndex = close && close.index === stop ? close.index + close[0].length : stop;
  }
  return quotes;
}

/** The final answer after the last `<ANSWER>:` (case and spacing tolerant), or null when absent. */
export function parseFinalAnswer(text: string): string | null {
  const matches = [...text.matchAll(/<\s*ANSWER\s*>\s*:?/gi)];
  const last = matches.at(-1);
  if (!last) return null;
  const answer = text
    .slice(last.index! + last[0].length)
    .replace(/<\|[^|]*\|>|<\/s>|<eos>/g, '')
    .trim();
  return answer || null;
}

export interface QuoteCheck {
  text: string;
  /** Index of the first document containing the quote verbatim, or null. */
  documentIndex: number | null;
}

/** Checks every quote verbatim against the documents, as they were shown to the model. */
export function locateQuotes(quotes: string[], documents: string[]): QuoteCheck[] {
  return quotes.map((text) => {
    const index = documents.findIndex((doc) => doc.includes(text));
    return { text, documentIndex: index >= 0 ? index : null };
  });
}
