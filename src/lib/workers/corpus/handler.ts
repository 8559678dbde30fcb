// Corpus worker logic, free of worker wiring: Node tests and the CLI run it in-process over the
// same protocol (with fake-indexeddb or a real IndexedDB).
import { resolveChunkOptions } from '../../core/chunking';
import type { CorpusSummary } from '../../core/corpus/reports';
import { NotReadyError } from '../../core/errors';
import { CorpusRepo } from '../../store/repos/corpus-repo';
import { QuestionsRepo } from '../../store/repos/questions-repo';
import { deletePairs, importQuestions, refreshPairs, resolveQuestionFile, savePairs, splitPairs } from './questions';
import { buildDataset } from './dataset';
import { datasetInputs } from './dataset-inputs';
import type { RaftDatabase } from '../../store/db';
import { EmbedService } from '../embed/service';
import { configureTransformers, setHubAllowed, type TransformersSetup } from '../models/transformers-env';
import type { Handlers } from '../rpc';
import { CorpusState, META, type StoredEmbedder } from './corpus-state';
import { indexMissing } from './indexing';
import { ensureChunkTokenizer, ingest, upgradeChunks } from './operations';
import type { CorpusApi } from './protocol';
import { sourceKey, type LoadOptions, type ModelSource } from '../../core/models';
import type { LoadProgress } from '../models/load';
import { retrieveContext, search } from './search';

export function createCorpusHandlers(setup: TransformersSetup, openDb: () => Promise<RaftDatabase>): Handlers<CorpusApi> {
  configureTransformers(setup);
  let state: CorpusState | null = null;
  const embedder = new EmbedService();

  function opened(): CorpusState {
    if (!state) throw new NotReadyError('The corpus is not open yet.');
    return state;
  }

  return {
    async open() {
      if (!state) {
        const db = await openDb();
        state = new CorpusState(new CorpusRepo(db), new QuestionsRepo(db), embedder);
      }
      await state.load();
      // Chunks made by older chunking rules are re-chunked; pairs follow their oracle by quote or article.
      if (await upgradeChunks(state)) await refreshPairs(state);
      return state.summary();
    },

    async summary() {
      return opened().summary();
    },

    async ingest({ files }, { progress, signal }) {
      const s = opened();
      const report = await ingest(s, files, progress, signal);
      await refreshPairs(s);
      return { report, summary: s.summary() };
    },

    async removeArticle({ path }) {
      const s = opened();
      s.forgetArticle(path, await s.repo.deleteArticle(path));
      await refreshPairs(s);
      return s.summary();
    },

    async clear() {
      const s = opened();
      await s.repo.clearCorpus();
      await s.load();
      await refreshPairs(s);
      return s.summary();
    },

    async chunksOf({ path }) {
      return opened().repo.chunksOf(path);
    },

    async chunkArticles({ ids }) {
      const { chunks } = opened();
      return ids.map((id) => chunks.get(id)?.articlePath ?? null);
    },

    async setSettings(settings, { progress }) {
      const s = opened();
      const chunking = settings.chunking ? resolveChunkOptions(settings.chunking) : s.settings.chunking;
      const rechunk = JSON.stringify(chunking) !== JSON.stringify(s.settings.chunking);
      s.settings = { ...s.settings, ...settings, chunking };
      await s.repo.setMeta(META.settings, s.settings);
      s.retriever.setEngine(s.settings.engine);
      if (rechunk) await ensureChunkTokenizer(s, progress, true);
      await refreshPairs(s);
      return s.summary();
    },

    async configure({ allowHub }) {
      setHubAllowed(allowHub);
    },

    loadEmbedder: ({ source, options }, { signal, progress }) => loadEmbedder(opened(), source, options, signal, progress),

    async loadStoredEmbedder(_params, { signal, progress }) {
      const stored = opened().storedEmbedder;
      if (!stored) throw new NotReadyError('No embedding model has been used with this corpus yet.');
      return loadEmbedder(opened(), stored.source, stored.options, signal, progress);
    },

    async adoptEmbedder() {
      const s = opened();
      const model = embedder.model;
      if (!model || !s.loadedSource) throw new NotReadyError('Load the embedding model to switch to first.');
      const key = `${sourceKey(s.loadedSource.source)}|${s.loadedSource.options.dtype}`;
      await s.repo.keepOnlyModel(key);
      s.retriever.clearVectors();
      s.embedded.clear();
      s.conflict = false;
      await adopt(s, { key, label: model.label, dim: 0, ...s.loadedSource });
      return s.summary();
    },

    async index(_params, { progress, signal }) {
      const s = opened();
      await indexMissing(s, progress, signal);
      if (s.storedEmbedder && s.retriever.dim) {
        s.storedEmbedder = { ...s.storedEmbedder, dim: s.retriever.dim };
        await s.repo.setMeta(META.embedder, s.storedEmbedder);
      }
      return s.summary();
    },

    async search(params) {
      return search(opened(), params);
    },

    retrieveContext: (params) => retrieveContext(opened(), params),

    importQuestions: ({ text, fileName }) => importQuestions(opened(), text, fileName),
    resolveQuestions: ({ text, fileName }) => resolveQuestionFile(opened(), text, fileName),
    async listQuestions() {
      return [...opened().pairs.values()];
    },
    saveQuestions: ({ pairs }) => savePairs(opened(), pairs),
    deleteQuestions: ({ ids }) => deletePairs(opened(), ids),
    async splitQuestions(options) {
      const s = opened();
      await splitPairs(s, options);
      return [...s.pairs.values()];
    },
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
): Promise<CorpusSummary> {
  const model = await s.embedder.load(source, options, { signal, onProgress: progress });
  s.loadedSource = { source, options };
  const stored = s.storedEmbedder;
  // Vectors of two models must never mix: a different model waits for the user's confirmation.
  // Same files and dtype give the same vectors on any device, so the device is not part of the key.
  const key = `${sourceKey(source)}|${options.dtype}`;
  s.conflict = !!stored && stored.key !== key && s.embedded.size > 0;
  if (!s.conflict) await adopt(s, { key, label: model.label, dim: stored?.key === key ? stored.dim : 0, source, options });
  return s.summary();
}

async function adopt(state: CorpusState, embedder: StoredEmbedder): Promise<void> {
  state.storedEmbedder = embedder;
  await state.repo.setMeta(META.embedder, embedder);
  await ensureChunkTokenizer(state, () => {});
  await refreshPairs(state);
}
