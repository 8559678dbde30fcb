// manifest.json: everything needed to reproduce a dataset (parameters, seed, template, split, chunking, models,
// chain-of-thought source, fingerprints of the corpus and of the questions, counts). Deliberately no timestamp:
// the same inputs give byte-identical files, and `raft build --manifest` rebuilds them from it.
import type { ChunkOptions } from '../chunking/types';
import { hash } from '../hash';
import type { Chunk } from '../corpus/types';
import type { CotSettings, CotSource, ManifestCot } from '../raft/cot-types';
import type { PromptTemplate } from '../raft/prompt';
import type { RaftExample, RaftParams } from '../raft/types';
import { COMPLETION_SEPARATOR, COMPLETION_STOP, type ExportFormat } from './raft-formats';

/** 2: split, chunking, questions fingerprint, chain-of-thought and completion stop added. */
export const MANIFEST_VERSION = 2;

/**
 * How the pairs were split into train and test. 'seeded': drawn by the seeded split with these settings, which
 * reproduce every pair's side; 'given': each pair's side as it came (from the questions file or edited by hand),
 * so a rebuild needs a questions file that carries the split; 'mixed': some sides given with their pairs (kept),
 * the others drawn by the seeded split with these settings.
 */
export type ManifestSplit =
  | { method: 'seeded' | 'mixed'; testFraction: number; seed: number; byArticle: boolean }
  | { method: 'given'; testFraction: null; seed: null; byArticle: null };

/** How the corpus was chunked: the options and the tokenizer that counted the tokens. */
export interface ManifestChunking {
  options: ChunkOptions;
  /** 'approximate' (no model), or the key (source|dtype) of the embedding model whose tokenizer counted. */
  tokenizer: string;
}

/** What the caller says about the chain-of-thought writer; the manifest adds the counts from the examples. */
export type CotInput = Pick<ManifestCot, 'source' | 'model' | 'settings'>;

export const TEMPLATE_COT: Readonly<CotInput> = Object.freeze({ source: 'template' as CotSource, model: null, settings: null as CotSettings | null });

/** The content of a question pair that decides its examples (never its file name or timestamps). */
export type PairContent = { question: string; answer: string; oracleChunkIds: readonly string[]; quote?: string; split: string };

export interface DatasetManifest {
  version: number;
  tool: 'raft-playground';
  format: ExportFormat;
  /** With format 'completion': what ends every prompt and every completion; null otherwise. */
  completion: { separator: string; stop: string } | null;
  params: RaftParams;
  template: PromptTemplate;
  split: ManifestSplit;
  /** How the corpus was chunked; null when the caller did not say (pure tests of the formats). */
  chunking: ManifestChunking | null;
  cot: ManifestCot;
  /** `embedder`: the embedding model whose tokenizer chunked the corpus or that ranked the distractors (null: none). */
  models: { embedder: string | null; generator: string | null };
  /** Hash over every chunk id and content hash, sorted: equal corpora give equal fingerprints. */
  corpusFingerprint: string;
  /** Hash over every pair's question, answer, quote, oracle chunk ids and split, sorted: see {@link questionsFingerprint}. */
  questionsFingerprint: string;
  counts: { examples: number; train: number; test: number; withOracle: number; withoutOracle: number; withProblems: number; chunks: number; questions: number };
  files: { train: string; test: string };
}

export function corpusFingerprint(chunks: Iterable<Pick<Chunk, 'id' | 'contentHash'>>): string {
  const keys = [...chunks].map((c) => `${c.id}:${c.contentHash}`).sort();
  return hash(keys.join('\n'));
}

/** Equal question sets give equal fingerprints whatever their order or file name; editing one answer, quote or split changes it. */
export function questionsFingerprint(pairs: Iterable<PairContent>): string {
  const lines = [...pairs].map((p) => JSON.stringify([p.question, p.answer, p.quote ?? '', [...p.oracleChunkIds], p.split])).sort();
  return hash(lines.join('\n'));
}

export interface ManifestInput {
  examples: RaftExample[];
  /** The pairs the examples were built from. */
  pairs: PairContent[];
  format: ExportFormat;
  params: RaftParams;
  template: PromptTemplate;
  models: DatasetManifest['models'];
  chunks: Pick<Chunk, 'id' | 'contentHash'>[];
  /** Default: split as given. */
  split?: ManifestSplit;
  chunking?: ManifestChunking | null;
  /** Default: the template ({@link TEMPLATE_COT}). */
  cot?: CotInput;
}

export const GIVEN_SPLIT: Readonly<ManifestSplit> = Object.freeze({ method: 'given', testFraction: null, seed: null, byArticle: null });

export function buildManifest(input: ManifestInput): DatasetManifest {
  const { examples } = input;
  const cot = input.cot ?? TEMPLATE_COT;
  return {
    version: MANIFEST_VERSION,
    tool: 'raft-playground',
    format: input.format,
    completion: input.format === 'completion' ? { separator: COMPLETION_SEPARATOR, stop: COMPLETION_STOP } : null,
    params: input.params,
    template: input.template,
    split: input.split ?? { ...GIVEN_SPLIT },
    chunking: input.chunking ?? null,
    cot: {
      source: cot.source,
      model: cot.model,
      settings: cot.settings,
      written: examples.filter((e) => e.cot?.origin === 'model').length,
      fellBack: examples.filter((e) => e.cot?.origin === 'fallback').length,
    },
    models: input.models,
    corpusFingerprint: corpusFingerprint(input.chunks),
    questionsFingerprint: questionsFingerprint(input.pairs),
    counts: {
      examples: examples.length,
      train: examples.filter((e) => e.split === 'train').length,
      test: examples.filter((e) => e.split === 'test').length,
      withOracle: examples.filter((e) => e.oraclePresent).length,
      withoutOracle: examples.filter((e) => !e.oraclePresent).length,
      withProblems: examples.filter((e) => e.problems.length > 0).length,
      chunks: input.chunks.length,
      questions: input.pairs.length,
    },
    files: { train: 'train.jsonl', test: 'test.jsonl' },
  };
}
