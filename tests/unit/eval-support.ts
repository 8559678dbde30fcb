// Hand-built pieces for the evaluation tests: documents, questions, generation results and a fake corpus.
import type { GenerationResult } from '../../src/lib/core/generation';
import type { ContextDocument } from '../../src/lib/core/inference/context';
import type { EvalQuestion, RetrievedContext, RetrieveParams } from '../../src/lib/core/eval/types';

export const doc = (chunkId: string, text: string, role: 'oracle' | 'distractor', rank: number | null = null): ContextDocument => ({
  chunkId,
  articlePath: `${chunkId.split('#')[0]}.md`,
  title: chunkId,
  headingPath: [],
  text,
  score: rank === null ? null : 1 / rank,
  rank,
  role,
  injected: false,
});

export const question = (pairId: string, answer: string, oracle: string): EvalQuestion => ({
  pairId,
  question: `Question ${pairId}?`,
  answer,
  oracleChunkIds: [oracle],
  oracleArticles: [`${oracle.split('#')[0]}.md`],
});

export const result = (text: string, totalMs = 100, tokens = 10): GenerationResult => ({
  text,
  tokens,
  timeToFirstTokenMs: 10,
  totalMs,
  tokensPerSecond: tokens > 1 ? ((tokens - 1) * 1000) / (totalMs - 10) : 0,
  stoppedBy: 'eos',
});

/** A corpus of three questions: q1's oracle ranks first, q2's third, q3's is not retrieved at all. */
export const QUESTIONS: EvalQuestion[] = [question('q1', '14 days', 'refund#1'), question('q2', '30 days', 'annual#1'), question('q3', '', 'edu#1')];

const CHUNKS: Record<string, string> = {
  'refund#1': 'Refunds are available within 14 days.',
  'annual#1': 'Annual plans can be refunded within 30 days.',
  'edu#1': 'Education plans get 45 days.',
  'team#1': 'Team plans renew monthly.',
  'sso#1': 'Single sign-on needs the Business plan.',
  'free#1': 'The Free plan has three devices.',
};
const RANKINGS: Record<string, string[]> = {
  q1: ['refund#1', 'team#1', 'sso#1', 'free#1', 'annual#1'],
  q2: ['team#1', 'refund#1', 'annual#1', 'sso#1', 'free#1'],
  q3: ['team#1', 'sso#1', 'free#1', 'refund#1', 'annual#1'],
};

/** `retrieveContext` over the fixed rankings above, with the k, extra distractors and oracle handling asked for. */
export function fakeRetrieve(calls: RetrieveParams[] = []) {
  return async (params: RetrieveParams): Promise<RetrievedContext> => {
    calls.push(params);
    const id = params.question.replace(/^Question (\w+)\?$/, '$1');
    const oracles = new Set(params.oracleChunkIds);
    const { k, extraDistractors, oracle } = params.options;
    const wanted = k + extraDistractors;
    const ranking = RANKINGS[id].slice(0, wanted + (oracle === 'removed' ? 1 : 0));
    let chosen = oracle === 'removed' ? ranking.filter((c) => !oracles.has(c)).slice(0, wanted) : ranking.slice(0, wanted);
    if (oracle === 'forced' && !chosen.some((c) => oracles.has(c))) chosen = [...chosen.slice(0, wanted - 1), ...oracles];
    return {
      documents: chosen.map((c) => doc(c, CHUNKS[c], oracles.has(c) ? 'oracle' : 'distractor', ranking.indexOf(c) + 1 || null)),
      ranking,
      rankingArticles: ranking.map((c) => `${c.split('#')[0]}.md`),
      searchMs: 1,
      embedMs: 0,
    };
  };
}
