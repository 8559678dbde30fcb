// Run by the browser tests' `nodeDenseSearch` command in a child Node process (the config's module runner cannot
// load voy's wasm): indexes the articles given on stdin with a test model through the corpus handlers the app's
// worker runs, on fake-indexeddb, and prints the dense hits of the query with their scores as JSON.
import 'fake-indexeddb/auto';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { readModelFolder } from '../../src/cli/model-folder';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';

const ROOT = resolve(import.meta.dirname, '../..');
const { model, articles, query } = JSON.parse(await text(process.stdin)) as { model: string; articles: { path: string; text: string }[]; query: string };
const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase('node-dense-search')));
const corpus = new CorpusClient(endpoint, close);
try {
  await corpus.call('open', undefined);
  await corpus.call('ingest', { files: articles.map((a) => ({ path: a.path, blob: new Blob([a.text]) })) });
  await corpus.call('loadEmbedder', { source: await readModelFolder(join(ROOT, 'tests/models', model)), options: { device: 'wasm', dtype: 'fp32' } });
  const indexed = await corpus.call('index', undefined);
  const { hits } = await corpus.call('search', { query, mode: 'dense', k: indexed.chunkCount });
  process.stdout.write(JSON.stringify({ dim: indexed.embedder.storedModel?.dim ?? 0, hits: hits.map(({ chunkId, score }) => ({ chunkId, score })) }));
} finally {
  corpus.terminate();
}
