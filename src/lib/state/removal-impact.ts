// What removing an article would orphan, for its Remove confirmation: the questions tied to its chunks and the
// examples of the last dataset build made from them.
import { pairsOrphanedBy } from '../core/questions/reattach';
import { plural } from '../core/words';
import type { Corpus } from './corpus.svelte';
import type { DatasetState } from './dataset.svelte';

export interface RemovalImpact {
  questions: number;
  examples: number;
}

/** Counts what removing `path` orphans: asks the corpus worker for the article's chunks and the questions. */
export async function removalImpact(corpus: Corpus, dataset: DatasetState, path: string): Promise<RemovalImpact> {
  const [chunks, pairs] = await Promise.all([corpus.chunksOf(path), corpus.client.call('listQuestions', undefined)]);
  const orphaned = new Set(pairsOrphanedBy(pairs, chunks.map((c) => c.id)).map((p) => p.id));
  const examples = dataset.built?.examples.filter((e) => orphaned.has(e.pairId)).length ?? 0;
  return { questions: orphaned.size, examples };
}

/** "2 questions tied to it become orphaned (5 dataset examples are built from them) until …", or '' when none. */
export function removalWarning(impact: RemovalImpact): string {
  if (impact.questions === 0) return '';
  const examples = impact.examples ? ` (${plural(impact.examples, 'example')} of the last dataset ${impact.examples === 1 ? 'is' : 'are'} built from ${impact.questions === 1 ? 'it' : 'them'})` : '';
  return `${plural(impact.questions, 'question')} tied to it will be orphaned${examples}. Adding the same file back, at any path, ties ${impact.questions === 1 ? 'it' : 'them'} again.`;
}
