// The evaluation manifest: the corpus fingerprint (the dataset manifest's), the question set and the
// models, so a report says exactly what it measured.
import { corpusFingerprint } from '../formats/manifest';
import { hash } from '../hash';
import type { Chunk } from '../corpus/types';
import type { EvalManifest, EvalQuestion, QuestionSourceKind } from './types';

export const EVAL_MANIFEST_VERSION = 1;

export function buildEvalManifest(input: {
  chunks: Pick<Chunk, 'id' | 'contentHash' | 'articlePath'>[];
  questions: EvalQuestion[];
  questionSource: { kind: QuestionSourceKind; name: string };
  models: EvalManifest['models'];
  embedder: string | null;
}): EvalManifest {
  const ids = input.questions.map((q) => q.pairId).sort();
  return {
    version: EVAL_MANIFEST_VERSION,
    tool: 'raft-playground',
    corpusFingerprint: corpusFingerprint(input.chunks),
    chunks: input.chunks.length,
    articles: new Set(input.chunks.map((c) => c.articlePath)).size,
    questions: { kind: input.questionSource.kind, source: input.questionSource.name, count: ids.length, fingerprint: hash(ids.join('\n')) },
    models: input.models,
    embedder: input.embedder,
  };
}
