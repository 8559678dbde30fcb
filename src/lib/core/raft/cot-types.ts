// Types of model-written chain-of-thought answers (gorilla `raft.py`'s `generate_label`): a language model
// writes the reasoning for each (question, oracle, reference answer); each reply is checked before it is kept,
// retried a bounded number of times, and otherwise replaced by the template answer, which the example says.
import type { ChatMessage, GenerationSettings } from '../generation';

/** Who writes the chain-of-thought: the fixed template, the language model in the tab, or an OpenAI-compatible endpoint. */
export type CotSource = 'template' | 'local' | 'endpoint';
export const COT_SOURCES: readonly CotSource[] = ['template', 'local', 'endpoint'];

/** The prompt the writer model gets. Placeholders: {question}, {context} (the oracle text), {answer} (the reference), {quote}, {title}. */
export interface CotPrompt {
  system: string;
  user: string;
}

export interface CotSettings {
  prompt: CotPrompt;
  /** Token F1 of the reply's final answer against the reference answer, at least this to keep it. 0..1, default 0.5. */
  minAnswerF1: number;
  /** Replies asked for per example before falling back to the template. Integer 1..5, default 3. */
  attempts: number;
  /** Decoding of the writer model (greedy by default: reproducible). */
  generation: GenerationSettings;
}

/** One example's chain-of-thought to write: everything the writer and the checks need. */
export interface CotTask {
  /** Identifies the written answer across rebuilds and reloads: see `cotKey`. */
  key: string;
  exampleId: string;
  question: string;
  /** The reference answer of the pair. */
  answer: string;
  /** The oracle chunk's text (the first oracle when several). */
  oracleText: string;
  /** The verbatim span the template would quote (the pair's quote when it is in the oracle). */
  quote: string;
  /** The oracle's article title and heading path, as the template names it. */
  title: string;
}

/** The outcome of writing one task: kept model reasoning, or the template after every attempt was rejected. */
export interface CotRecord {
  key: string;
  /** 'model': a checked reply, its quotes made verbatim; 'fallback': the template answer, after `attempts` rejections. */
  origin: 'model' | 'fallback';
  cotAnswer: string;
  attempts: number;
  /** Why each rejected reply was rejected, in order (one line per attempt). */
  rejections: string[];
  /** Label of the writer model, e.g. the endpoint's model name or the loaded model's label. */
  model: string;
}

/** What an example's chain-of-thought is: shown in the inspector, counted in the manifest. */
export type CotInfo = { origin: 'template' } | { origin: 'model'; model: string; attempts: number } | { origin: 'fallback'; model: string; attempts: number; rejections: string[] };

/** The chain-of-thought part of manifest.json. */
export interface ManifestCot {
  source: CotSource;
  /** The writer model's label; null for the template. */
  model: string | null;
  /** The writer's settings; null for the template. */
  settings: CotSettings | null;
  /** Examples whose reasoning a model wrote, and examples that fell back to the template after rejections. */
  written: number;
  fellBack: number;
}

/** Generates one reply: the app's local model, an endpoint, or a test fake. */
export type CotGenerate = (messages: ChatMessage[], signal?: AbortSignal) => Promise<string>;
