// Splits a chunk's text into plain and highlighted segments: the words whose search term (folded,
// stemmed, as BM25 sees it) is one of the query's terms. Rendered as text and <mark>, never as HTML.
import { isUnspaced, terms } from '../core/retrieval/lexical-terms';

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
      if (isUnspaced(match[0])) {
        // A run without spaces is one WORD: mark only its characters that make up a wanted bigram.
        for (const [start, end] of unspacedHits(match[0], wanted)) {
          push(text.slice(at, index + start), false);
          push(text.slice(index + start, index + end), true);
          at = index + end;
        }
        continue;
      }
      if (!terms(match[0]).some((t) => wanted.has(t))) continue;
      push(text.slice(at, index), false);
      push(match[0], true);
      at = index + match[0].length;
    }
  }
  push(text.slice(at), false);
  return segments;
}

/** [start, end) offsets (in UTF-16 units) of the characters of `run` whose bigram (or lone character) is wanted. */
function unspacedHits(run: string, wanted: ReadonlySet<string>): [number, number][] {
  const chars = Array.from(run);
  const marked = chars.map(() => false);
  const hit = (part: string) => terms(part).some((t) => wanted.has(t));
  for (let i = 0; i < chars.length; i++) {
    if (i + 1 < chars.length && hit(chars[i] + chars[i + 1])) marked[i] = marked[i + 1] = true;
    else if (hit(chars[i])) marked[i] = true;
  }
  const hits: [number, number][] = [];
  let offset = 0;
  chars.forEach((char, i) => {
    const last = hits.at(-1);
    if (marked[i]) {
      if (last && last[1] === offset) last[1] += char.length;
      else hits.push([offset, offset + char.length]);
    }
    offset += char.length;
  });
  return hits;
}
