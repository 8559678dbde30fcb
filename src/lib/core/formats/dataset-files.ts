// The three files of an exported dataset, produced identically by the app and the CLI.
import type { Chunk } from '../corpus/types';
import { buildManifest, type ManifestInput } from './manifest';
import { exampleToRow, toJsonl, type ExportFormat } from './raft-formats';

export interface DatasetFiles {
  'train.jsonl': string;
  'test.jsonl': string;
  'manifest.json': string;
}

/**
 * The name a downloaded export file gets: `raft-chat-train.jsonl`. NOTE: the app's downloads of every format land in
 * one Downloads folder, so the format is in the name; the command line writes the plain names into its `--out` folder.
 */
export function exportFileName(format: ExportFormat, name: keyof DatasetFiles): string {
  return `raft-${format}-${name}`;
}

/** train.jsonl and test.jsonl in `input.format`, and the manifest that reproduces them. */
export function datasetFiles(input: Omit<ManifestInput, 'chunks'> & { chunks: Pick<Chunk, 'id' | 'contentHash' | 'text'>[] }): DatasetFiles {
  const texts = new Map(input.chunks.map((c) => [c.id, c.text]));
  const rows = (split: 'train' | 'test') =>
    toJsonl(input.examples.filter((e) => e.split === split).map((e) => exampleToRow(e, input.format, input.template, (id) => texts.get(id) ?? '')));
  const manifest = buildManifest(input);
  return { 'train.jsonl': rows('train'), 'test.jsonl': rows('test'), 'manifest.json': JSON.stringify(manifest, null, 2) + '\n' };
}
