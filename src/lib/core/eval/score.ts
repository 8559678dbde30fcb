// One answer scored against its reference, SQuAD-style, and its retrieval outcome: the per-question
// figures every aggregate is built from.
import { exactMatch, tokenF1 } from '../metrics/answer';
import type { AnswerAnalysis } from '../metrics/citations';
import { answerSegments } from '../raft/answer-format';
import type { AnswerScore, EvalQuestion, MissingAnswerPolicy, RetrievalOutcome, RetrievedContext } from './types';

/** A reply without `<ANSWER>:` read as an answer: quote markers (any variant), the `##Reason:` lead and special tokens dropped. */
export function replyAsAnswer(reply: string): string {
  return answerSegments(reply)
    .map((s) => (s.kind === 'text' || s.kind === 'quote' ? s.text : ' '))
    .join('')
    .replace(/^\s*##\s*Reason\s*:/i, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Exact match and token F1 of the final answer (the text after the last `<ANSWER>:`). A reply without
 * that line is scored whole under 'reply', or scores 0 under 'zero'; an empty reply scores 0. A question
 * without a reference answer gets no EM or F1 (null), so it cannot inflate them.
 */
export function scoreAnswer(reply: string, analysis: Pick<AnswerAnalysis, 'finalAnswer'>, reference: string, policy: MissingAnswerPolicy): AnswerScore {
  let scored = '';
  let from: AnswerScore['from'] = 'none';
  if (analysis.finalAnswer !== null) {
    scored = analysis.finalAnswer;
    from = 'answer-tag';
  } else if (policy === 'reply') {
    scored = replyAsAnswer(reply);
    if (scored) from = 'whole-reply';
  }
  if (!reference.trim()) return { em: null, f1: null, scored, from };
  if (from === 'none') return { em: 0, f1: 0, scored, from };
  return { em: exactMatch(scored, reference), f1: tokenF1(scored, reference), scored, from };
}

/** Where the retriever ranked the question's oracle chunk and the first chunk of the oracle's article. */
export function retrievalOutcome(question: EvalQuestion, context: RetrievedContext): RetrievalOutcome {
  const oracles = new Set(question.oracleChunkIds);
  const articles = new Set(question.oracleArticles);
  const chunkAt = context.ranking.findIndex((id) => oracles.has(id));
  const articleAt = context.rankingArticles.findIndex((path) => articles.has(path));
  return {
    ranking: context.ranking,
    oracleRank: chunkAt < 0 ? null : chunkAt + 1,
    articleRank: articleAt < 0 ? null : articleAt + 1,
    searchMs: context.searchMs,
    embedMs: context.embedMs,
  };
}
