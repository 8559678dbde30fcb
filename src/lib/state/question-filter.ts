// Which question pairs the list shows: a text search over question, answer and tags, and the split, status,
// origin and tag chosen in the filter bar; plus the counts the page shows beside them.
import type { PairOrigin, PairSplit, PairStatus, QAPair } from '../core/questions';
import { normaliseForMatch } from '../core/text-match';

/** 'all' (or '' for the tag) shows every pair. */
export interface PairFilter {
  text: string;
  split: PairSplit | 'all';
  status: PairStatus | 'all';
  origin: PairOrigin | 'all';
  tag: string;
}

export const NO_FILTER: PairFilter = { text: '', split: 'all', status: 'all', origin: 'all', tag: '' };

/** The pairs matching every part of the filter; the text must appear in the question, answer or a tag. */
export function filterPairs(pairs: readonly QAPair[], filter: PairFilter): QAPair[] {
  const needle = normaliseForMatch(filter.text.trim());
  return pairs.filter(
    (p) =>
      (filter.split === 'all' || p.split === filter.split) &&
      (filter.status === 'all' || p.status === filter.status) &&
      (filter.origin === 'all' || p.origin === filter.origin) &&
      (!filter.tag || p.tags.includes(filter.tag)) &&
      (!needle || normaliseForMatch([p.question, p.answer, ...p.tags].join(' ')).includes(needle)),
  );
}

/** Every tag in use, sorted. */
export function tagsOf(pairs: readonly QAPair[]): string[] {
  return [...new Set(pairs.flatMap((p) => p.tags))].sort((a, b) => a.localeCompare(b));
}

/** How many pairs have each status. */
export function statusCounts(pairs: readonly QAPair[]): Record<PairStatus, number> {
  const counts = { ok: 0, unresolved: 0, orphaned: 0 };
  for (const pair of pairs) counts[pair.status]++;
  return counts;
}

/** Free tags from a comma-separated entry: trimmed, without empties or repeats. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}
