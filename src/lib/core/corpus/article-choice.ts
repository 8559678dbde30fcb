// Choosing articles from a long list (question generation's "chunks of chosen articles"): each title with the
// folder it sits in, so two articles of the same name differ, a filter by words, and the choice in words.
import { normaliseForMatch } from '../text-match';
import { plural } from '../words';

export interface ChoosableArticle {
  path: string;
  title: string;
  aliases?: string[];
  chunkCount: number;
}

/** The folder of an article path, with its trailing slash ("billing/", "docs/api/"); '' at the top level. */
export function articleFolder(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut + 1);
}

/**
 * The articles whose title, path or an alias holds every word of `query` (case and accents ignored), in their
 * order; all of them for a blank query.
 */
export function filterArticles<T extends ChoosableArticle>(articles: readonly T[], query: string): T[] {
  const words = normaliseForMatch(query).split(' ').filter(Boolean);
  if (words.length === 0) return [...articles];
  return articles.filter((a) => {
    const haystack = normaliseForMatch([a.title, a.path, ...(a.aliases ?? [])].join(' '));
    return words.every((w) => haystack.includes(w));
  });
}

/** "1 article chosen, 3 chunks." from the chosen paths (paths no longer in the list are not counted). */
export function describeChoice(articles: readonly ChoosableArticle[], chosen: readonly string[]): string {
  const picked = new Set(chosen);
  const hits = articles.filter((a) => picked.has(a.path));
  const chunks = hits.reduce((n, a) => n + a.chunkCount, 0);
  return `${plural(hits.length, 'article')} chosen, ${plural(chunks, 'chunk')}.`;
}
