// Splits text for the example viewer: a document with the quoted spans marked, and a chain-of-thought
// answer into plain text, quote markers, quotes and the <ANSWER>: tag. Rendered as text, never as HTML.

export interface Span {
  text: string;
  mark: boolean;
}

/** `text` with every occurrence of each quote marked (overlapping occurrences merged). */
export function markQuotes(text: string, quotes: readonly string[]): Span[] {
  const ranges: [number, number][] = [];
  for (const quote of quotes) {
    if (!quote) continue;
    for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + quote.length)) ranges.push([at, at + quote.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const spans: Span[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    if (start > at) spans.push({ text: text.slice(at, start), mark: false });
    spans.push({ text: text.slice(Math.max(start, at), end), mark: true });
    at = end;
  }
  if (at < text.length || spans.length === 0) spans.push({ text: text.slice(at), mark: false });
  return spans;
}

export type AnswerPart = { kind: 'text' | 'marker' | 'tag'; text: string } | { kind: 'quote'; text: string; quote: number };

const TOKENS = /##\s*begin_quote\s*##|##\s*end_quote\s*##|<\s*ANSWER\s*>\s*:/gi;

/** The answer's parts in order; the n-th quote (0-based, as extractQuotes counts them) carries `quote: n`. */
export function answerParts(answer: string): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let at = 0;
  let inQuote = false;
  let quote = 0;
  const pushText = (text: string) => {
    if (!text) return;
    if (inQuote && text.trim()) parts.push({ kind: 'quote', text, quote: quote++ });
    else parts.push({ kind: 'text', text });
  };
  for (const match of answer.matchAll(TOKENS)) {
    pushText(answer.slice(at, match.index));
    const token = match[0];
    const isTag = token.toLowerCase().includes('answer');
    parts.push({ kind: isTag ? 'tag' : 'marker', text: token });
    inQuote = !isTag && token.toLowerCase().includes('begin');
    at = (match.index ?? 0) + token.length;
  }
  pushText(answer.slice(at));
  return parts;
}

/** What the template puts before and after a document's text, with {title} and {heading} filled in. */
export function documentFrame(template: string, title: string, heading: string): { before: string; after: string } {
  const fill = (part: string) => part.replace(/\{(title|heading)\}/g, (_, key: string) => (key === 'title' ? title : heading));
  const at = template.indexOf('{text}');
  return at < 0 ? { before: fill(template), after: '' } : { before: fill(template.slice(0, at)), after: fill(template.slice(at + '{text}'.length)) };
}

/** What the user template puts before and after the documents, with {question} filled in. */
export function userFrame(template: string, question: string): { before: string; after: string } {
  const fill = (part: string) => part.replace(/\{question\}/g, () => question);
  const at = template.indexOf('{documents}');
  return at < 0 ? { before: fill(template), after: '' } : { before: fill(template.slice(0, at)), after: fill(template.slice(at + '{documents}'.length)) };
}
