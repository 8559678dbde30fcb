// The documents a model reads at test time: the retriever's top k, optionally stressed as in the
// paper's robustness tests (oracle forced in, oracle removed, extra distractors). Shared by the arena
// (one question) and the evaluation (every test question), so both show the models the same context.
// Chunks the context adds as distractors on purpose (the extra distractors, and every document once the
// oracle is removed) obey the RAFT builder's rule: none may hold the answer, the quote or a copy of the oracle.
import type { SkipReason } from '../raft/distractor-check';
import type { PromptDocument } from '../raft/prompt';
import type { SkippedDistractor } from '../raft/types';
import type { FusedRanks } from '../retrieval/types';

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
  /** Hybrid retrieval: the rank in the words and meaning lists behind `rank`. */
  fused?: FusedRanks;
}

export interface ContextDocument extends CandidateChunk {
  role: 'oracle' | 'distractor';
  /** Put in by `forced`, not found by the retriever within the documents it returned. */
  injected: boolean;
  /**
   * A retrieved non-oracle document that the distractor rule would never use as a distractor: it holds the answer,
   * the oracle's quote or a copy of the oracle. Quoting it is not being distracted. Absent: not checked, or clean.
   */
  answerBearing?: SkipReason;
}

/** How many ranked chunks to ask the retriever for, so that `assembleContext` can fill every slot. */
export function retrievalDepth(options: ContextOptions, oracleCount: number): number {
  const wanted = options.k + options.extraDistractors;
  return wanted === 0 ? 0 : wanted + (options.oracle === 'removed' ? oracleCount : 0);
}

/** Slots the distractor rule applies to: the extra distractors, or every slot once the oracle is removed. */
export function checkedSlots(options: ContextOptions): number {
  return options.oracle === 'removed' ? options.k + options.extraDistractors : options.extraDistractors;
}

/** Why a candidate may not be added as a distractor (`distractorCheck` of the question), or null. */
export type CandidateCheck = (candidate: CandidateChunk) => SkipReason | null;

export interface CheckedContext {
  documents: ContextDocument[];
  /** Candidates passed over because they hold the answer, the quote or a copy of the oracle, in rank order. */
  skipped: SkippedDistractor[];
}

/**
 * The documents in the order the model sees them: retrieval order, so the prompt is the one a user
 * of the deployed system would build. `ranked` is best first; `oracles` are the question's oracle
 * chunks (empty when the question is not from the question set).
 */
export function assembleContext(ranked: CandidateChunk[], oracles: CandidateChunk[], options: ContextOptions): ContextDocument[] {
  return assembleCheckedContext(ranked, oracles, options, () => null).documents;
}

/**
 * {@link assembleContext} with the distractor rule: the top k stay as retrieved (what a deployed system would show,
 * helpful chunks included), but an extra distractor, or any document when the oracle is removed, that `check`
 * rejects is passed over for the next-ranked chunk and reported in `skipped`. `ranked` may run deeper than
 * {@link retrievalDepth} to leave room for skips ({@link checkedSlots} more is enough unless many chunks answer).
 */
export function assembleCheckedContext(ranked: CandidateChunk[], oracles: CandidateChunk[], options: ContextOptions, check: CandidateCheck): CheckedContext {
  const wanted = options.k + options.extraDistractors;
  const skipped: SkippedDistractor[] = [];
  if (wanted === 0) return { documents: [], skipped };
  const oracleIds = new Set(oracles.map((o) => o.chunkId));
  const tag = (c: CandidateChunk, injected = false): ContextDocument => {
    if (oracleIds.has(c.chunkId)) return { ...c, role: 'oracle', injected };
    const reason = check(c);
    return reason ? { ...c, role: 'distractor', injected, answerBearing: reason } : { ...c, role: 'distractor', injected };
  };
  /** Up to `count` of `candidates` in order, passing over (and reporting) those `check` rejects; oracles always pass. */
  const take = (candidates: CandidateChunk[], count: number): CandidateChunk[] => {
    const out: CandidateChunk[] = [];
    for (const c of candidates) {
      if (out.length >= count) break;
      const reason = oracleIds.has(c.chunkId) ? null : check(c);
      if (reason) skipped.push({ chunkId: c.chunkId, title: c.title, headingPath: c.headingPath, reason });
      else out.push(c);
    }
    return out;
  };
  if (options.oracle === 'removed') return { documents: take(ranked.filter((c) => !oracleIds.has(c.chunkId)), wanted).map((c) => tag(c)), skipped };
  const top = [...ranked.slice(0, options.k), ...take(ranked.slice(options.k), options.extraDistractors)].map((c) => tag(c));
  if (options.oracle === 'retrieved') return { documents: top, skipped };
  // forced: each missing oracle takes the place of the lowest-ranked distractor still in the list.
  const missing = oracles.filter((o) => !top.some((d) => d.chunkId === o.chunkId));
  for (const oracle of missing) {
    const at = findLastIndex(top, (d) => d.role === 'distractor');
    if (at < 0) top.push(tag(oracle, true));
    else top.splice(at, 1, tag(oracle, true));
  }
  // Keep retrieval order; an injected oracle goes after the ranked documents.
  return { documents: top.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity)), skipped };
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
