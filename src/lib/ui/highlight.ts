// Splits a chunk's text into plain and highlighted segments: the words whose search term (folded,
// stemmed, as BM25 sees it) is one of the query's terms. Rendered as text and <mark>, never as HTML.
import { terms } from '../core/retrieval/lexical-terms';

export interface Segment {
  text: string;
  mark: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

export function highlightSegments(text: string, query: string): Segment[] {
  const wanted = new Set(terms(query));
  const segments: Segment[] = [];
  const push = (part: string, mark: boolean) => {
    if (!part) return;
    const last = segments.at(-1);
    if (last && last.mark === mark) last.text += part;
    else segments.push({ text: part, mark });
  };
  let at = 0;
  if (wanted.size > 0) {
    for (const match of text.matchAll(WORD)) {
      const index = match.index ?? 0;
      if (!terms(match[0]).some((t) => wanted.has(t))) continue;
      push(text.slice(at, index), false);
      push(match[0], true);
      at = index + match[0].length;
    }
  }
  push(text.slice(at), false);
  return segments;
}
