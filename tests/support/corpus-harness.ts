// The corpus worker's handlers in this process over fake-indexeddb, as the Node tests drive them: one fresh
// database per test, each "worker" a client of it (a second one is what a page reload gives), all closed after.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import type { IngestFile } from '../../src/lib/core/corpus/reports';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';

const WIKI = resolve(import.meta.dirname, '../../public/sample-wiki');

/** The sample wiki's files, as the app's "Load the sample wiki" reads them. */
export async function sampleWikiFiles(): Promise<IngestFile[]> {
  const index = JSON.parse(await readFile(resolve(WIKI, 'index.json'), 'utf8')) as { files: string[] };
  return Promise.all(index.files.map(async (path) => ({ path, blob: new Blob([await readFile(resolve(WIKI, path))]) })));
}

/** Registers the per-test database and clean-up; `open()` starts a worker over this test's database and opens it. */
export function corpusWorkers(prefix: string) {
  let dbName = '';
  const clients: CorpusClient[] = [];
  beforeEach(() => {
    dbName = `${prefix}-${Math.random()}`;
  });
  afterEach(() => clients.splice(0).forEach((c) => c.terminate()));
  /** A client of a new worker over this test's database, not yet opened (for code that opens it itself). */
  const client = () => {
    const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(dbName)));
    const created = new CorpusClient(endpoint, close);
    clients.push(created);
    return created;
  };
  return {
    dbName: () => dbName,
    client,
    async open() {
      const opened = client();
      return { client: opened, summary: await opened.call('open', undefined) };
    },
  };
}
