// The documents a model reads at test time: the retriever's top k, optionally stressed as in the
// paper's robustness tests (oracle forced in, oracle removed, extra distractors). Shared by the arena
// (one question) and the evaluation (every test question), so both show the models the same context.
import type { PromptDocument } from '../raft/prompt';

/** What happens to the oracle chunk(s) of a question whose oracle is known. */
export type OracleHandling =
  /** The retriever's top k as they are: the oracle is there only if retrieval found it. */
  | 'retrieved'
  /** The oracle is always among the documents: it replaces the lowest-ranked ones if retrieval missed it. */
  | 'forced'
  /** The oracle is never among the documents: the next-ranked chunks take its place. */
  | 'removed';

export const ORACLE_HANDLINGS: readonly OracleHandling[] = ['retrieved', 'forced', 'removed'];

export interface ContextOptions {
  /** Documents from retrieval, 0..50 (0: no retrieval at all, the closed-book setting). */
  k: number;
  oracle: OracleHandling;
  /** Further retrieved chunks beyond k, 0..20: the "distractor stress". */
  extraDistractors: number;
}

export const DEFAULT_CONTEXT: Readonly<ContextOptions> = Object.freeze({ k: 5, oracle: 'retrieved', extraDistractors: 0 });

/** A chunk as the corpus holds it, ranked (retrieved) or not (an oracle fetched by id). */
export interface CandidateChunk extends PromptDocument {
  chunkId: string;
  articlePath: string;
  /** Retrieval score in the mode used; null for an oracle that retrieval did not return. */
  score: number | null;
  /** 1-based rank in the retrieval, null when not retrieved. */
  rank: number | null;
}

export interface ContextDocument extends CandidateChunk {
  role: 'oracle' | 'distractor';
  /** Put in by `forced`, not found by the retriever within the documents it returned. */
  injected: boolean;
}

/** How many ranked chunks to ask the retriever for, so that `assembleContext` can fill every slot. */
export function retrievalDepth(options: ContextOptions, oracleCount: number): number {
  const wanted = options.k + options.extraDistractors;
  return wanted === 0 ? 0 : wanted + (options.oracle === 'removed' ? oracleCount : 0);
}

/**
 * The documents in the order the model sees them: retrieval order, so the prompt is the one a user
 * of the deployed system would build. `ranked` is best first; `oracles` are the question's oracle
 * chunks (empty when the question is not from the question set).
 */
export function assembleContext(ranked: CandidateChunk[], oracles: CandidateChunk[], options: ContextOptions): ContextDocument[] {
  const wanted = options.k + options.extraDistractors;
  if (wanted === 0) return [];
  const oracleIds = new Set(oracles.map((o) => o.chunkId));
  const tag = (c: CandidateChunk, injected = false): ContextDocument => ({ ...c, role: oracleIds.has(c.chunkId) ? 'oracle' : 'distractor', injected });
  if (options.oracle === 'removed') return ranked.filter((c) => !oracleIds.has(c.chunkId)).slice(0, wanted).map((c) => tag(c));
  const top = ranked.slice(0, wanted).map((c) => tag(c));
  if (options.oracle === 'retrieved') return top;
  // forced: each missing oracle takes the place of the lowest-ranked distractor still in the list.
  const missing = oracles.filter((o) => !top.some((d) => d.chunkId === o.chunkId));
  for (const oracle of missing) {
    const at = findLastIndex(top, (d) => d.role === 'distractor');
    if (at < 0) top.push(tag(oracle, true));
    else top.splice(at, 1, tag(oracle, true));
  }
  // Keep retrieval order; an injected oracle goes after the ranked documents.
  return top.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
