// A full storage (issue 13, item 4) in Node: the quota refusal is named with the usage and the way out, never a
// blank reason, survives the worker boundary, and an ingest that hits it stops without blaming the file.
import { afterEach, expect, test, vi } from 'vitest';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { deserializeError, failureMessage, isStorageFull, messageOf, serializeError, StorageFullError } from '../../src/lib/core/errors';
import { openDatabase } from '../../src/lib/store/db';
import { namedStorageError } from '../../src/lib/store/storage-full';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';
import { openSession } from '../../src/cli/session';
import { openDatasetDatabase } from '../../src/lib/store/dataset-db';
import { DatasetState } from '../../src/lib/state/dataset.svelte';

/** What Chromium gives when a transaction aborts for lack of quota: `tx.error`, with an empty message. */
const quotaRefusal = () => new DOMException('', 'QuotaExceededError');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

test('a quota refusal with a blank message is named, with the way out, and does not blame the file', () => {
  const refusal = quotaRefusal();
  expect(isStorageFull(refusal)).toBe(true);
  expect(isStorageFull(new Error('aborted', { cause: refusal }))).toBe(true);
  expect(isStorageFull(new Error('Bad JSON'))).toBe(false);
  expect(messageOf(refusal)).toMatch(/^The browser's storage for this app is full; .*"Keep data on this device"/);
  expect(failureMessage('Could not import big20.jsonl', refusal)).not.toMatch(/big20/);
  expect(failureMessage('Could not import big20.jsonl', new Error('line 3 is not JSON'))).toBe('Could not import big20.jsonl: line 3 is not JSON');
  expect(messageOf(new DOMException('', 'AbortError'))).toBe('AbortError');
});

test('the usage from navigator.storage.estimate() is in the message, and the type crosses the worker boundary', async () => {
  vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 10_276_044, quota: 10_485_760 }) } });
  const named = await namedStorageError(quotaRefusal());
  expect(named).toBeInstanceOf(StorageFullError);
  expect(messageOf(named)).toMatch(/this site uses 9\.8 MB of the 10(\.0)? MB the browser allows it/);
  const rebuilt = deserializeError(serializeError(named));
  expect(rebuilt).toBeInstanceOf(StorageFullError);
  expect(rebuilt.message).toBe((named as Error).message);
  const other = new Error('not a quota problem');
  expect(await namedStorageError(other)).toBe(other);
});

test('an ingest that fills the storage stops with StorageFullError, and the file is not listed as unreadable', async () => {
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`quota-${Math.random()}`)));
  const client = new CorpusClient(endpoint, close);
  try {
    await client.call('open', undefined);
    await client.call('ingest', { files: [{ path: 'first.md', blob: new Blob(['# First\n\nKept before the storage filled up.\n']) }] });
    // From here every write to the chunks store is refused, as a full origin's would be.
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'chunks') throw quotaRefusal();
      return put.apply(this, args);
    });
    const failure = await client.call('ingest', { files: [{ path: 'near10.md', blob: new Blob(['# Near\n\nDoes not fit.\n']) }] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageFullError);
    expect(messageOf(failure)).not.toMatch(/could not be read|near10/);
    expect(messageOf(failure)).toMatch(/storage for this app is full/);
    vi.restoreAllMocks();
    const summary = await client.call('summary', undefined);
    expect(summary.articles.map((a) => a.path)).toContain('first.md');
  } finally {
    client.terminate();
  }
});

test('a dataset build that cannot be kept says the storage is full, with the usage; the build stays on the page', { timeout: 60_000 }, async () => {
  const session = await openSession({ docs: 'public/sample-wiki', questions: 'public/sample-wiki/questions.jsonl', mode: 'lexical', log: () => {} });
  try {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 10_276_044, quota: 10_485_760 }) } });
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'builds') throw quotaRefusal();
      return put.apply(this, args);
    });
    const corpus = { open: async () => true, client: session.corpus, error: '', chunksOf: (path: string) => session.corpus.call('chunksOf', { path }) };
    const dataset = new DatasetState(corpus as never, null, { openDb: () => openDatasetDatabase(`quota-dataset-${Math.random()}`) });
    await dataset.restore();
    await dataset.build();
    expect(dataset.built?.examples.length).toBeGreaterThan(0);
    expect(dataset.storeError).toMatch(/^The dataset could not be kept for the next visit \(The browser's storage for this app is full \(this site uses 9\.8 MB of the 10(\.0)? MB/);
    expect(dataset.storeError).toMatch(/"Keep data on this device"/);
  } finally {
    session.close();
  }
});
