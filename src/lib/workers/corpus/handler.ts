// Corpus worker logic, free of worker wiring: Node tests and the CLI run it in-process over the
// same protocol (with fake-indexeddb or a real IndexedDB).
import { resolveChunkOptions } from '../../core/chunking';
import type { CorpusSummary } from '../../core/corpus/reports';
import { NotReadyError } from '../../core/errors';
import { CorpusRepo } from '../../store/repos/corpus-repo';
import { namedStorageError } from '../../store/storage-full';
import { QuestionsRepo } from '../../store/repos/questions-repo';
import { deletePairs, importQuestions, refreshPairs, resolveQuestionFile, savePairs, splitPairs } from './questions';
import { buildDataset } from './dataset';
import { datasetInputs } from './dataset-inputs';
import type { OpenHooks, RaftDatabase } from '../../store/db';
import { closedMessage, DatabaseClosedError, isVersionError, tooOldMessage, type ClosedReason, type CorpusChange, type CorpusEvent } from '../../core/tabs';
import { TabSync } from '../tab-sync';
import { EmbedService } from './embedder';
import { applyWorkerSettings, configureTransformers, type TransformersSetup } from '../models/transformers-env';
import type { Handlers } from '../rpc';
import { CorpusState, embedderKey, META, withoutFiles, type StoredEmbedder } from './corpus-state';
import { indexMissing } from './indexing';
import { ingest, rechunkCorpus, upgradeChunks } from './operations';
import type { CorpusApi } from './protocol';
import type { LoadOptions, ModelSource } from '../../core/models';
import type { LoadProgress } from '../models/load';
import { retrieveContext, search } from './search';

/**
 * `openDb` gets the hooks that hear about other tabs (blocked by an older version, closed for a newer one).
 * Every write holds the database's write lock across tabs and is announced to them; a tab that hears of another
 * tab's write reads the corpus again and tells its page (`watch`).
 */
export function createCorpusHandlers(setup: TransformersSetup, openDb: (hooks: OpenHooks) => Promise<RaftDatabase>): Handlers<CorpusApi> {
  configureTransformers(setup);
  let state: CorpusState | null = null;
  let opening: Promise<CorpusState> | null = null;
  let sync: TabSync | null = null;
  let closed: ClosedReason | null = null;
  const embedder = new EmbedService();
  const watchers = new Set<(event: CorpusEvent) => void>();
  const emit = (event: CorpusEvent) => watchers.forEach((watcher) => watcher(event));

  function opened(): CorpusState {
    if (closed) throw new DatabaseClosedError(closedMessage('corpus', closed));
    if (!state) throw new NotReadyError('The corpus is not open yet.');
    return state;
  }

  function close(reason: ClosedReason): void {
    closed = reason;
    if (state) state.closed = closedMessage('corpus', reason);
    emit({ kind: 'closed', reason });
  }

  async function openState(): Promise<CorpusState> {
    let db: RaftDatabase;
    try {
      db = await openDb({ onBlocked: () => emit({ kind: 'blocked' }), onVersionChange: () => close('versionchange'), onTerminated: () => close('terminated') });
    } catch (error) {
      throw isVersionError(error) ? new DatabaseClosedError(tooOldMessage('corpus')) : error;
    }
    const s = new CorpusState(new CorpusRepo(db), new QuestionsRepo(db), embedder);
    const tabs = new TabSync(db.name, ({ what }) => void caughtUp(s, what));
    s.exclusive = (name, work) => tabs.exclusive(name, work);
    sync = tabs;
    state = s;
    return s;
  }

  /** Another tab wrote `what`: read the corpus again and tell the page. */
  async function caughtUp(s: CorpusState, what: CorpusChange): Promise<void> {
    if (s.closed) return;
    try {
      await s.exclusive('write', () => s.reload());
    } catch {
      // NOTE: only a closed database fails here, and `close` has told the page already.
      return;
    }
    emit({ kind: 'changed', what, summary: s.summary() });
  }

  /** Runs a write holding the lock, with IDB failures on a closed database named as such; announces `what`. */
  async function write<T>(what: CorpusChange | null, work: (s: CorpusState) => Promise<T>): Promise<T> {
    const s = opened();
    const result = await s.exclusive('write', () => named(s, () => work(s)));
    if (what) sync?.announce(what);
    return result;
  }

  return {
    async open() {
      opening ??= openState();
      opening.catch(() => (opening = null));
      await opening;
      // Chunks made by older chunking rules are re-chunked; pairs follow their oracle by quote or article.
      return write(null, async (s) => {
        await s.load();
        if (await upgradeChunks(s)) sync?.announce('settings');
        return s.summary();
      });
    },

    async watch(_params, { progress, signal }) {
      watchers.add(progress);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      watchers.delete(progress);
    },

    async summary() {
      return opened().summary();
    },

    ingest: ({ files }, { progress, signal }) =>
      write('files', async (s) => {
        const report = await ingest(s, files, progress, signal);
        await refreshPairs(s);
        return { report, summary: s.summary() };
      }),

    removeArticle: ({ path }) =>
      write('remove', async (s) => {
        s.forgetArticle(path, await s.repo.deleteArticle(path));
        await refreshPairs(s);
        return s.summary();
      }),

    clear: () =>
      write('clear', async (s) => {
        const gone = [...s.chunks.values()];
        await s.repo.clearCorpus();
        await s.load();
        // The questions remember their chunks, to be tied again when the same files come back (at any path).
        for (const c of gone) s.lostChunks.set(c.id, { articlePath: c.articlePath, contentHash: c.contentHash });
        await refreshPairs(s);
        return s.summary();
      }),

    async chunksOf({ path }) {
      return opened().repo.chunksOf(path);
    },

    async chunkArticles({ ids }) {
      const { chunks } = opened();
      return ids.map((id) => chunks.get(id)?.articlePath ?? null);
    },

    setSettings: (settings, { progress }) =>
      write('settings', async (s) => {
        const chunking = settings.chunking ? resolveChunkOptions(settings.chunking) : s.settings.chunking;
        const rechunk = JSON.stringify(chunking) !== JSON.stringify(s.settings.chunking);
        s.settings = { ...s.settings, ...settings, chunking };
        await s.repo.setMeta(META.settings, s.settings);
        s.retriever.setEngine(s.settings.engine);
        if (rechunk) await rechunkCorpus(s, progress, 'settings', true);
        else await refreshPairs(s);
        return s.summary();
      }),

    async configure(settings) {
      applyWorkerSettings(settings);
    },

    loadEmbedder: ({ source, options }, { signal, progress }) => loadEmbedder(opened(), source, options, signal, progress, write),

    async loadStoredEmbedder(params, { signal, progress }) {
      const stored = opened().storedEmbedder;
      if (!stored) throw new NotReadyError('No embedding model has been used with this corpus yet.');
      let source = stored.source;
      if (source.kind === 'files') {
        // A picked folder is not stored here: the page passes the copy kept in the browser, if there is one.
        const files = params?.files ?? [];
        if (!files.length) throw new NotReadyError(`${stored.label} came from a folder on this device that is not kept in the browser: pick the folder again on the Models page (tick “Keep this model in the browser” to have it load by itself).`);
        source = { ...source, files };
      }
      return loadEmbedder(opened(), source, stored.options, signal, progress, write);
    },

    adoptEmbedder: () =>
      write('embedder', async (s) => {
        const model = embedder.model;
        if (!model || !s.loadedSource) throw new NotReadyError('Load the embedding model to switch to first.');
        const key = embedderKey(s.loadedSource.source, s.loadedSource.options);
        await s.repo.keepOnlyModel(key);
        s.retriever.clearVectors();
        s.embedded.clear();
        s.conflict = false;
        await adopt(s, { key, label: model.label, dim: 0, ...s.loadedSource });
        return s.summary();
      }),

    async index(_params, { progress, signal }) {
      const s = opened();
      // NOTE: one tab indexes at a time (the index lock); each batch is stored under the write lock, so another
      // tab may add, remove or clear between batches, and this run skips what it removed.
      const before = s.embeddedThisSession;
      try {
        await s.exclusive('index', () => named(s, () => indexMissing(s, progress, signal)));
      } finally {
        if (s.embeddedThisSession > before) sync?.announce('index');
      }
      return write(null, async () => {
        if (s.storedEmbedder && s.retriever.dim) {
          s.storedEmbedder = { ...s.storedEmbedder, dim: s.retriever.dim };
          await s.repo.setMeta(META.embedder, s.storedEmbedder);
        }
        return s.summary();
      });
    },

    async search(params) {
      return search(opened(), params);
    },

    retrieveContext: (params) => retrieveContext(opened(), params),

    importQuestions: ({ text, fileName }) => write('questions', (s) => importQuestions(s, text, fileName)),
    resolveQuestions: ({ text, fileName }) => resolveQuestionFile(opened(), text, fileName),
    async listQuestions() {
      return [...opened().pairs.values()];
    },
    saveQuestions: ({ pairs }) => write('questions', (s) => savePairs(s, pairs)),
    deleteQuestions: ({ ids }) => write('questions', (s) => deletePairs(s, ids)),
    splitQuestions: (options) =>
      write('questions', async (s) => {
        await splitPairs(s, options);
        return [...s.pairs.values()];
      }),
    async buildDataset({ pairIds, ...params }) {
      const s = opened();
      const wanted = pairIds ? new Set(pairIds) : null;
      const pairs = [...s.pairs.values()].filter((p) => p.status === 'ok' && (!wanted || wanted.has(p.id))).sort((a, b) => (a.id < b.id ? -1 : 1));
      return buildDataset(s, { ...params, pairs });
    },
    async datasetInputs() {
      return datasetInputs(opened());
    },
  };
}

async function loadEmbedder(
  s: CorpusState,
  source: ModelSource,
  options: LoadOptions,
  signal: AbortSignal,
  progress: (p: LoadProgress) => void,
  write: <T>(what: CorpusChange | null, work: (s: CorpusState) => Promise<T>) => Promise<T>,
): Promise<CorpusSummary> {
  const model = await s.embedder.load(source, options, { signal, onProgress: progress });
  s.loadedSource = { source, options };
  // Vectors of two models must never mix: a different model waits for the user's confirmation.
  // Same files and dtype give the same vectors on any device, so the device is not part of the key.
  const key = embedderKey(source, options);
  // Another tab hears of it only when the stored model changes (not when a reload loads the same one again).
  return write(s.storedEmbedder?.key === key ? null : 'embedder', async () => {
    const stored = s.storedEmbedder;
    s.conflict = !!stored && stored.key !== key && s.embedded.size > 0;
    if (!s.conflict) await adopt(s, { key, label: model.label, dim: stored?.key === key ? stored.dim : 0, source, options });
    return s.summary();
  });
}

/** Runs `work`; an IDB failure because this tab's connection was closed becomes the error saying to reload. */
async function named<T>(s: CorpusState, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (s.closed) throw new DatabaseClosedError(s.closed);
    // A quota refusal (often a blank `tx.error`) is named, with the usage, whatever was being written.
    throw await namedStorageError(error);
  }
}

async function adopt(state: CorpusState, embedder: StoredEmbedder): Promise<void> {
  state.storedEmbedder = { ...embedder, source: withoutFiles(embedder.source) };
  await state.repo.setMeta(META.embedder, state.storedEmbedder);
  await rechunkCorpus(state, () => {}, 'embedder');
}
