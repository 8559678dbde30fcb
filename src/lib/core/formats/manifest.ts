// manifest.json: everything needed to reproduce a dataset (parameters, seed, models, corpus
// fingerprint, counts). Deliberately no timestamp: the same inputs give byte-identical files.
import { hash } from '../hash';
import type { Chunk } from '../corpus/types';
import type { PromptTemplate } from '../raft/prompt';
import type { RaftExample, RaftParams } from '../raft/types';
import type { ExportFormat } from './raft-formats';

export const MANIFEST_VERSION = 1;

export interface DatasetManifest {
  version: number;
  tool: 'raft-playground';
  format: ExportFormat;
  params: RaftParams;
  template: PromptTemplate;
  models: { embedder: string | null; generator: string | null };
  /** Hash over every chunk id and content hash, sorted: equal corpora give equal fingerprints. */
  corpusFingerprint: string;
  counts: { examples: number; train: number; test: number; withOracle: number; withoutOracle: number; withProblems: number; chunks: number };
  files: { train: string; test: string };
}

export function corpusFingerprint(chunks: Iterable<Pick<Chunk, 'id' | 'contentHash'>>): string {
  const keys = [...chunks].map((c) => `${c.id}:${c.contentHash}`).sort();
  return hash(keys.join('\n'));
}

export function buildManifest(input: {
  examples: RaftExample[];
  format: ExportFormat;
  params: RaftParams;
  template: PromptTemplate;
  models: DatasetManifest['models'];
  chunks: Pick<Chunk, 'id' | 'contentHash'>[];
}): DatasetManifest {
  const { examples } = input;
  return {
    version: MANIFEST_VERSION,
    tool: 'raft-playground',
    format: input.format,
    params: input.params,
    template: input.template,
    models: input.models,
    corpusFingerprint: corpusFingerprint(input.chunks),
    counts: {
      examples: examples.length,
      train: examples.filter((e) => e.split === 'train').length,
      test: examples.filter((e) => e.split === 'test').length,
      withOracle: examples.filter((e) => e.oraclePresent).length,
      withoutOracle: examples.filter((e) => !e.oraclePresent).length,
      withProblems: examples.filter((e) => e.problems.length > 0).length,
      chunks: input.chunks.length,
    },
    files: { train: 'train.jsonl', test: 'test.jsonl' },
  };
}
