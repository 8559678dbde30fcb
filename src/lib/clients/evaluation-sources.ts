// What an evaluation reads from the corpus, written once for the app (corpus worker) and the CLI
// (in-process corpus): the held-out questions with their oracle articles, the retriever for the runner,
// and the manifest's corpus fingerprint. Both sides call these, so they measure the same thing.
import type { CorpusClient } from './corpus';
import { buildEvalManifest } from '../core/eval/manifest';
import type { EvalManifest, EvalQuestion, QuestionSourceKind, RetrievedContext, RetrieveParams } from '../core/eval/types';
import type { QAPair } from '../core/questions/types';
import type { RetrievalMode } from '../core/retrieval/types';

/** The part of the corpus client an evaluation calls. */
export type CorpusCalls = Pick<CorpusClient, 'call'>;

/** Which pairs a run asks: the test split, or every pair tied to a chunk. */
export type QuestionScope = 'test' | 'all';

/** Pairs tied to an oracle chunk (in scope), as the run snapshots them, with each oracle chunk's article. */
export async function evalQuestions(corpus: CorpusCalls, pairs: QAPair[], scope: QuestionScope = 'test'): Promise<EvalQuestion[]> {
  const chosen = pairs.filter((p) => p.status === 'ok' && p.oracleChunkIds.length > 0 && (scope === 'all' || p.split === 'test'));
  const ids = [...new Set(chosen.flatMap((p) => p.oracleChunkIds))];
  const articles = ids.length ? await corpus.call('chunkArticles', { ids }) : [];
  const articleOf = new Map(ids.map((id, i) => [id, articles[i]]));
  return chosen.map((p) => ({
    pairId: p.id,
    question: p.question,
    answer: p.answer,
    oracleChunkIds: [...p.oracleChunkIds],
    oracleArticles: [...new Set(p.oracleChunkIds.flatMap((id) => articleOf.get(id) ?? []))],
  }));
}

/** The runner's `retrieve`: the corpus worker's retrieval with oracle handling, as the arena uses it. */
export function corpusRetriever(corpus: CorpusCalls): (params: RetrieveParams) => Promise<RetrievedContext> {
  return (params) => corpus.call('retrieveContext', params);
}

/** The manifest of a run over this corpus: the fingerprint over every chunk, the questions and the models. */
export async function evalManifest(corpus: CorpusCalls, input: { questions: EvalQuestion[]; questionSource: { kind: QuestionSourceKind; name: string }; models: EvalManifest['models']; mode: RetrievalMode }): Promise<EvalManifest> {
  const summary = await corpus.call('summary', undefined);
  const chunks = (await Promise.all(summary.articles.map((a) => corpus.call('chunksOf', { path: a.path })))).flat();
  return buildEvalManifest({ chunks, questions: input.questions, questionSource: input.questionSource, models: input.models, embedder: input.mode === 'lexical' ? null : (summary.embedder.loaded?.label ?? null) });
}

/** A question file for one run: every row resolved against the corpus (nothing is kept), and the rows that could not be used. */
export async function readQuestionFile(corpus: CorpusCalls, name: string, text: string): Promise<{ name: string; questions: EvalQuestion[]; problems: string[] }> {
  const { pairs, parseErrors } = await corpus.call('resolveQuestions', { text, fileName: name });
  const problems = [
    ...parseErrors.map((e) => `line ${e.line}: ${e.message}`),
    ...pairs.filter((p) => p.status !== 'ok').map((p) => `line ${p.source?.line ?? '?'}: "${p.question}": ${p.problem ?? 'not tied to a chunk'}`),
  ];
  return { name, questions: await evalQuestions(corpus, pairs, 'all'), problems };
}
