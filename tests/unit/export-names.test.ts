// Exports of several formats land in one Downloads folder: each file is named by its format, and the command
// lines the Dataset page shows read the manifest under the name it was downloaded as.
import { expect, test } from 'vitest';
import { exportFileName, type DatasetFiles } from '../../src/lib/core/formats/dataset-files';
import { EXPORT_FORMATS } from '../../src/lib/core/formats/raft-formats';
import { DEFAULT_RAFT_PARAMS } from '../../src/lib/core/raft/types';
import { cliCommand, manifestCommand } from '../../src/lib/state/dataset-cli';

const FILES: (keyof DatasetFiles)[] = ['train.jsonl', 'test.jsonl', 'manifest.json'];

test('every format and file downloads under its own name, the format in it', () => {
  const names = EXPORT_FORMATS.flatMap((format) => FILES.map((file) => exportFileName(format, file)));
  expect(new Set(names).size).toBe(EXPORT_FORMATS.length * FILES.length);
  expect(exportFileName('chat', 'train.jsonl')).toBe('raft-chat-train.jsonl');
  expect(exportFileName('gorilla', 'manifest.json')).toBe('raft-gorilla-manifest.json');
});

test('the shown commands read the downloaded manifest by its downloaded name', () => {
  expect(cliCommand(DEFAULT_RAFT_PARAMS, 'completion', true)).toContain('--template raft-completion-manifest.json');
  expect(manifestCommand({ embedder: false, cot: 'template', manifestFile: exportFileName('chat', 'manifest.json') })).toMatch(/^npm run raft -- build --manifest raft-chat-manifest\.json /);
});
