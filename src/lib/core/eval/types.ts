// The evaluation's vocabulary: what a run compares (systems, arms), what it asks (questions), what it
// keeps per answer (records) and what it reports (metric summaries). Shared by the app and the CLI.
import type { ContextParams } from '../corpus/reports';
import type { GenerationResult, GenerationSettings } from '../generation';
import type { ContextDocument, OracleHandling } from '../inference/context';
import type { AnswerAnalysis } from '../metrics/citations';
import type { PromptTemplate } from '../raft/prompt';
import type { RetrievalMode } from '../retrieval/types';

/** The language model slots the evaluation can run: before and after RAFT fine-tuning. */
export type EvalRole = 'base' | 'tuned';
export const EVAL_ROLES: readonly EvalRole[] = ['base', 'tuned'];

/** A model, with the retrieved documents or without any (closed book: the paper's "no RAG" baseline). */
export interface EvalSystem {
  role: EvalRole;
  retrieval: boolean;
}

/** What to do with a reply that has no `<ANSWER>:` line. */
export type MissingAnswerPolicy =
  /** Score the whole reply (quote markers removed) against the reference: the format is measured apart. */
  | 'reply'
  /** Score it 0: only answers in the trained format count. */
  | 'zero';

export interface EvalSettings {
  /** One or more, in any order; arms run model after model. */
  systems: EvalSystem[];
  mode: RetrievalMode;
  /** Documents from retrieval for systems with retrieval, 1..50. */
  k: number;
  oracle: OracleHandling;
  /** Extra distractors beyond k, 0..20 each; several values sweep accuracy against distractors (1..6 values). */
  distractors: number[];
  /** Greedy by default, so a run can be repeated (and the CLI gives the same numbers). */
  generation: GenerationSettings;
  missingAnswer: MissingAnswerPolicy;
  /** Seed of the bootstrap intervals (the only randomness with greedy decoding). Integer 0..2^31-1. */
  seed: number;
  /** Bootstrap resamples, 100..100000. */
  resamples: number;
  /** Ask the remote OpenAI-compatible endpoint to grade each final answer (not part of the reproducible numbers). */
  judge: boolean;
  /** The training prompt template the answers are asked with. */
  template: PromptTemplate;
}

/** One column of results: a system at one distractor count. */
export interface Arm {
  /** Stable across the app and the CLI, e.g. `base@k5+0` or `tuned@closed`. */
  id: string;
  role: EvalRole;
  retrieval: boolean;
  /** 0 without retrieval. */
  k: number;
  extraDistractors: number;
  label: string;
}

/** A held-out question as the run snapshots it (later edits of the question set do not change a run). */
export interface EvalQuestion {
  pairId: string;
  question: string;
  /** The reference answer; '' when the pair has none (then no EM/F1 for it). */
  answer: string;
  oracleChunkIds: string[];
  /** Article of each oracle chunk, for the article-level retrieval recall. */
  oracleArticles: string[];
}

/**
 * What the retriever is asked for one question: the corpus worker's `ContextParams` without the quote (an
 * evaluation question's reference answer is enough to pass over extra distractors that hold it).
 */
export type RetrieveParams = Omit<ContextParams, 'quote'>;

/** The documents and ranking the retriever gave for one question (the corpus worker's `retrieveContext`). */
export interface RetrievedContext {
  documents: ContextDocument[];
  /** Chunk ids best first, before oracle handling. */
  ranking: string[];
  rankingArticles: string[];
  searchMs: number;
  embedMs: number;
}

/** A document as a record keeps it: where it came from and its role, not its text (the corpus has that). */
export type RecordDocument = Omit<ContextDocument, 'text'>;

export interface RetrievalOutcome {
  ranking: string[];
  /** 1-based rank of the first oracle chunk in the ranking, null when absent. */
  oracleRank: number | null;
  /** 1-based rank of the first chunk of an oracle's article, null when absent. */
  articleRank: number | null;
  searchMs: number;
  embedMs: number;
}

/** Where the scored answer text came from. */
export type ScoredFrom = 'answer-tag' | 'whole-reply' | 'none';

export interface AnswerScore {
  /** 0 or 1; null when the question has no reference answer. */
  em: number | null;
  f1: number | null;
  /** The text compared with the reference. */
  scored: string;
  from: ScoredFrom;
}

/** The remote judge's opinion of one final answer. */
export interface JudgeVerdict {
  /** null when the judge's reply said neither CORRECT nor INCORRECT. */
  correct: boolean | null;
  /** The judge's reply, as it came. */
  reply: string;
}

/** One answer of one arm to one question: everything the metrics and the drill-down need. */
export interface EvalRecord {
  /** `${armId}|${pairId}`. */
  key: string;
  armId: string;
  pairId: string;
  documents: RecordDocument[];
  /** null for systems without retrieval. */
  retrieval: RetrievalOutcome | null;
  reply: GenerationResult;
  analysis: AnswerAnalysis;
  score: AnswerScore;
  judge: JudgeVerdict | null;
}

export type MetricId = 'em' | 'f1' | 'citation' | 'fidelity' | 'distracted' | 'format' | 'judge' | 'latency' | 'tps';

/** A mean over questions with its seeded bootstrap interval; null figures when no question counts. */
export interface MetricSummary {
  mean: number | null;
  low: number | null;
  high: number | null;
  /** Questions that count towards this metric. */
  n: number;
}

export interface ArmSummary {
  armId: string;
  label: string;
  role: EvalRole;
  retrieval: boolean;
  extraDistractors: number;
  /** Questions answered so far. */
  answered: number;
  /** Mean number of distractor documents in the context (retrieved non-oracle ones included; in the sweep plot's tooltips). */
  meanDistractors: number;
  metrics: Record<MetricId, MetricSummary>;
}

/** The retriever alone, over the questions of the first arm with retrieval. */
export interface RetrievalSummary {
  n: number;
  k: number;
  mode: RetrievalMode;
  recall_at_k: MetricSummary;
  mrr: MetricSummary;
  article_recall_at_k: MetricSummary;
}

/** The fine-tuned model minus the base model under the same retrieval, paired over the questions both answered. */
export interface ArmComparison {
  /** The fine-tuned arm and the base arm it is compared with. */
  armId: string;
  baseArmId: string;
  label: string;
  /** Mean per-question difference (fine-tuned − base) with its bootstrap interval; answer-quality metrics only. */
  metrics: Partial<Record<MetricId, MetricSummary>>;
}

export interface RunSummary {
  arms: ArmSummary[];
  retrieval: RetrievalSummary | null;
  comparisons: ArmComparison[];
}

export type QuestionSourceKind = 'test-split' | 'all' | 'file';

/** What a run was measured on, so a report can be traced back and repeated. */
export interface EvalManifest {
  version: number;
  tool: 'raft-playground';
  /** Hash over every chunk id and content hash (as in the dataset manifest): equal corpora, equal fingerprints. */
  corpusFingerprint: string;
  chunks: number;
  articles: number;
  questions: {
    /** From the question set (its test split, or every pair), or a file read for this run only. */
    kind: QuestionSourceKind;
    /** "test split", "every resolved question", or the name of the question file. */
    source: string;
    count: number;
    /** Hash over the sorted pair ids. */
    fingerprint: string;
  };
  /** The language model of each role the run uses: its label and load key (source, device, dtype). */
  models: Partial<Record<EvalRole, { label: string; key: string }>>;
  /** The embedding model of dense and hybrid retrieval, null for lexical. */
  embedder: string | null;
}

export type RunStatus = 'running' | 'paused' | 'done' | 'cancelled';

/** A run as it is kept (IndexedDB in the app) and exported: its records are stored beside it. */
export interface EvalRun {
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  settings: EvalSettings;
  arms: Arm[];
  questions: EvalQuestion[];
  manifest: EvalManifest;
  /** Why the run stopped, when it stopped on an error. */
  error?: string;
  /** Why a paused run paused when it was no error (the page was closed mid-run). */
  notice?: string;
}
