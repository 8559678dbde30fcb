// The three files of an exported dataset, produced identically by the app and the CLI.
import type { Chunk } from '../corpus/types';
import type { PromptTemplate } from '../raft/prompt';
import type { RaftExample, RaftParams } from '../raft/types';
import { buildManifest, type DatasetManifest } from './manifest';
import { exampleToRow, toJsonl, type ExportFormat } from './raft-formats';

export interface DatasetFiles {
  'train.jsonl': string;
  'test.jsonl': string;
  'manifest.json': string;
}

export function datasetFiles(input: {
  examples: RaftExample[];
  format: ExportFormat;
  params: RaftParams;
  template: PromptTemplate;
  models: DatasetManifest['models'];
  chunks: Chunk[];
}): DatasetFiles {
  const texts = new Map(input.chunks.map((c) => [c.id, c.text]));
  const rows = (split: 'train' | 'test') =>
    toJsonl(input.examples.filter((e) => e.split === split).map((e) => exampleToRow(e, input.format, input.template, (id) => texts.get(id) ?? '')));
  const manifest = buildManifest(input);
  return { 'train.jsonl': rows('train'), 'test.jsonl': rows('test'), 'manifest.json': JSON.stringify(manifest, null, 2) + '\n' };
}
