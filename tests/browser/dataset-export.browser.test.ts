// The app's dataset export (the corpus worker in Chromium, real IndexedDB) and the CLI's (Node) are
// byte-identical for the sample wiki and its question file, in every format.
import { commands } from 'vitest/browser';
import { expect, inject, test } from 'vitest';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { EXPORT_FORMATS } from '../../src/lib/core/formats/raft-formats';
import { DEFAULT_TEMPLATE } from '../../src/lib/core/raft/prompt';
import { DEFAULT_RAFT_PARAMS } from '../../src/lib/core/raft/types';

const backend = inject('backend');

// One instance is enough: no model runs here, so WASM and WebGPU would test the same thing.
test.runIf(backend === 'wasm')('app export equals CLI export, byte for byte, for gorilla, chat and completion', { timeout: 120_000 }, async () => {
  indexedDB.deleteDatabase('raft-playground');
  const corpus = new CorpusClient();
  try {
    await corpus.call('open', undefined);
    await corpus.call('clear', undefined);
    const index = (await (await fetch('/sample-wiki/index.json')).json()) as { files: string[] };
    const files = await Promise.all(index.files.map(async (path) => ({ path, blob: await (await fetch(`/sample-wiki/${path}`)).blob() })));
    await corpus.call('ingest', { files });
    const questions = await (await fetch('/sample-wiki/questions.jsonl')).text();
    const report = await corpus.call('importQuestions', { text: questions, fileName: 'questions.jsonl' });
    expect(report.unresolved).toEqual([]);
    await corpus.call('splitQuestions', { testFraction: 0.2, seed: 7, byArticle: true });

    for (const format of EXPORT_FORMATS) {
      const app = await corpus.call('buildDataset', { params: { ...DEFAULT_RAFT_PARAMS, seed: 7 }, template: DEFAULT_TEMPLATE, format });
      const cli = await commands.cliBuild(['--docs', 'public/sample-wiki', '--questions', 'public/sample-wiki/questions.jsonl', '--seed', '7', '--format', format]);
      expect(app.examples.length).toBe(200);
      expect(app.files['train.jsonl']).toBe(cli['train.jsonl']);
      expect(app.files['test.jsonl']).toBe(cli['test.jsonl']);
      expect(app.files['manifest.json']).toBe(cli['manifest.json']);
      for (const line of app.files['train.jsonl'].trim().split('\n')) JSON.parse(line);
    }
  } finally {
    corpus.terminate();
  }
});
