// What a dataset build reads, summed up as fingerprints: the Dataset page compares them with those of its
// stored build to tell whether the build still matches the corpus and the questions (and says which changed).
import { corpusFingerprint, questionsFingerprint } from '../../core/formats/manifest';
import type { CorpusState } from './corpus-state';
import type { DatasetInputsSummary } from './protocol';

export function datasetInputs(state: CorpusState): DatasetInputsSummary {
  const resolved = [...state.pairs.values()].filter((p) => p.status === 'ok');
  return {
    corpusFingerprint: corpusFingerprint(state.chunks.values()),
    chunks: state.chunks.size,
    questionsFingerprint: questionsFingerprint(resolved),
    questions: resolved.length,
  };
}
