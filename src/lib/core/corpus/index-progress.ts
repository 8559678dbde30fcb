// What the Index panel says while and after it embeds: one source for the headline ("Embedded N of M chunks")
// and the bar, so the two never disagree, also across a resumed run, and time left in plain words.
import { timeLeft } from '../words';
import type { CorpusSummary, IndexProgress } from './reports';

export interface IndexFigures {
  /** Chunks of the corpus with a vector now. */
  embedded: number;
  /** Chunks in the corpus. */
  total: number;
  /** "Embedded 1065 of 2837 chunks". */
  headline: string;
  /** While indexing: this run's share ("this run: 153 of 1772"), rate and time left; null when idle. */
  run: string | null;
}

/**
 * The figures from the run's progress while it runs (the summary is refreshed only at the end of a pass),
 * else from the summary. Both count the whole corpus: a resumed run does not restart the count at 0.
 */
export function indexFigures(summary: Pick<CorpusSummary, 'embeddedCount' | 'chunkCount'> | null, progress: IndexProgress | null): IndexFigures {
  const embedded = progress ? progress.embedded : (summary?.embeddedCount ?? 0);
  const total = progress ? progress.chunkCount : (summary?.chunkCount ?? 0);
  const headline = `Embedded ${embedded} of ${total} chunks`;
  if (!progress) return { embedded, total, headline, run: null };
  const parts = [progress.total === total ? null : `this run: ${progress.done} of ${progress.total}`];
  if (progress.rate > 0) parts.push(`${progress.rate.toFixed(1)} chunks/s`);
  if (progress.etaSeconds !== null && progress.done < progress.total) parts.push(timeLeft(progress.etaSeconds));
  return { embedded, total, headline, run: parts.filter((p) => p !== null).join(' · ') || null };
}
