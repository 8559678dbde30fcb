// The corpus held in the worker's memory (articles, chunks, retrievers), mirrored from IndexedDB,
// with the persistent settings and the embedding model whose vectors are stored.
import { approximateTokenCount, DEFAULT_CHUNK_OPTIONS, resolveChunkOptions } from '../../core/chunking';
import type { CorpusSettings, CorpusSummary, RechunkReport } from '../../core/corpus/reports';
import type { Chunk } from '../../core/corpus/types';
import { lexicalDocument } from '../../core/retrieval/lexical-terms';
import { sourceKey, type LoadOptions, type ModelSource } from '../../core/models';
import type { CorpusRepo, StoredVectors } from '../../store/repos/corpus-repo';
import type { QuestionsRepo } from '../../store/repos/questions-repo';
import type { QAPair } from '../../core/questions/types';
import type { ArticleRecord } from '../../store/schema';
import type { EmbedService } from './embedder';
import { Retriever } from './retriever';

/** Meta keys in IndexedDB. DO NOT CHANGE WITHOUT A MIGRATION. */
export const META = {
  settings: 'corpus-settings',
  embedder: 'corpus-embedder',
  chunkTokenizer: 'corpus-chunk-tokenizer',
  /** CHUNKER_VERSION of the stored chunks (absent: version 1, before it was recorded). */
  chunker: 'corpus-chunker-version',
  /** The settings of the last seeded split of the questions, for the manifest. */
  split: 'questions-split',
} as const;

/** The model whose vectors are stored, and how to load it again after a reload. */
export interface StoredEmbedder {
  key: string;
  label: string;
  dim: number;
  source: ModelSource;
  options: LoadOptions;
}

export const APPROXIMATE_TOKENIZER = 'approximate';

export class CorpusState {
  articles = new Map<string, ArticleRecord>();
  chunks = new Map<string, Chunk>();
  pairs = new Map<string, QAPair>();
  embedded = new Set<string>();
  retriever = new Retriever();
  settings: CorpusSettings = { engine: 'auto', chunking: { ...DEFAULT_CHUNK_OPTIONS } };
  storedEmbedder: StoredEmbedder | null = null;
  chunkTokenizer = APPROXIMATE_TOKENIZER;
  /** The chunking rules the stored chunks were made by (see CHUNKER_VERSION). */
  chunkerVersion = 1;
  conflict = false;
  /** What the last re-chunk of every article did, for the page to tell (this session only). */
  lastRechunk: RechunkReport | null = null;
  /** Chunks removed since the questions were last checked: what orphaned pairs remember to be tied again (reattach.ts). */
  lostChunks = new Map<string, Pick<Chunk, 'articlePath' | 'contentHash'>>();
  /** How the model loaded in this session was loaded: stored once it is adopted. */
  loadedSource: { source: ModelSource; options: LoadOptions } | null = null;
  embeddedThisSession = 0;
  /** Why this tab's database connection ended (a newer version in another tab, the browser), or null while open. */
  closed: string | null = null;
  /** Runs `work` holding the database's lock `name` across tabs (see TabSync); in-line until the handler sets it. */
  exclusive: <T>(name: 'write' | 'index', work: () => Promise<T>) => Promise<T> = (_name, work) => work();

  constructor(
    readonly repo: CorpusRepo,
    readonly questions: QuestionsRepo,
    readonly embedder: EmbedService,
  ) {}

  /** Loads everything from IndexedDB: no embedding happens here. */
  async load(): Promise<void> {
    const [articles, chunks, settings, stored, tokenizer, chunker, pairs] = await Promise.all([
      this.repo.listArticles(),
      this.repo.allChunks(),
      this.repo.getMeta<CorpusSettings>(META.settings),
      this.repo.getMeta<StoredEmbedder>(META.embedder),
      this.repo.getMeta<string>(META.chunkTokenizer),
      this.repo.getMeta<number>(META.chunker),
      this.questions.list(),
    ]);
    this.pairs = new Map(pairs.map((p) => [p.id, p]));
    this.articles = new Map(articles.map((a) => [a.path, a]));
    this.chunks = new Map(chunks.map((c) => [c.id, c]));
    this.retriever = new Retriever();
    for (const chunk of chunks) this.retriever.lexical.add(chunk.id, this.lexicalText(chunk));
    // NOTE: settings stored by an older version may lack newer chunk options; they get their defaults.
    if (settings) this.settings = { ...this.settings, ...settings, chunking: resolveChunkOptions(settings.chunking) };
    this.retriever.setEngine(this.settings.engine);
    this.storedEmbedder = stored ?? null;
    // NOTE: older versions stored a picked folder's files here: a hidden copy the model manager did not list.
    if (stored?.source.kind === 'files' && stored.source.files.length) {
      this.storedEmbedder = { ...stored, source: withoutFiles(stored.source) };
      await this.repo.setMeta(META.embedder, this.storedEmbedder);
    }
    this.chunkTokenizer = tokenizer ?? APPROXIMATE_TOKENIZER;
    this.chunkerVersion = chunker ?? 1;
    this.embedded = new Set();
    if (stored) {
      const vectors = await this.repo.loadVectors(stored.key);
      if (vectors) {
        // NOTE: vectors of chunks that no longer exist (stored by an older version racing another tab) are not
        // counted or searched, so "Embedded N of M" never has N > M.
        const { ids, dim, vectors: rows } = liveRows(vectors, this.chunks);
        this.retriever.addVectors(ids, rows, dim);
        ids.forEach((id) => this.embedded.add(id));
      }
    }
  }

  /** Reads the corpus again after another tab wrote to it; the loaded model stays, its conflict is re-judged. */
  async reload(): Promise<void> {
    await this.load();
    const stored = this.storedEmbedder;
    const loaded = this.loadedSource;
    this.conflict = !!stored && !!loaded && stored.key !== embedderKey(loaded.source, loaded.options) && this.embedded.size > 0;
  }

  /** The token counter chunking uses: the embedding model's tokenizer once one is in use. */
  countTokens(): { key: string; count: (text: string) => number } {
    if (this.embedder.ready && this.storedEmbedder && !this.conflict) {
      return { key: this.storedEmbedder.key, count: (t) => this.embedder.countTokens(t) };
    }
    return { key: APPROXIMATE_TOKENIZER, count: approximateTokenCount };
  }

  /** Replaces an article's chunks in memory (after the repo saved them). */
  applyArticle(article: ArticleRecord, chunks: Chunk[], removedChunkIds: string[]): void {
    this.forgetChunks(removedChunkIds);
    // A new title (front matter) changes what BM25 indexes for chunks that kept their ids.
    const retitled = this.articles.get(article.path)?.title !== article.title;
    this.articles.set(article.path, article);
    for (const chunk of chunks) {
      if (retitled || !this.chunks.has(chunk.id)) this.retriever.lexical.add(chunk.id, this.lexicalText(chunk));
      this.chunks.set(chunk.id, chunk);
    }
  }

  /** What BM25 indexes for a chunk: its article's title and heading path, then its text. */
  private lexicalText(chunk: Chunk): string {
    return lexicalDocument(this.articles.get(chunk.articlePath)?.title ?? '', chunk.headingPath, chunk.text);
  }

  forgetArticle(path: string, chunkIds: string[]): void {
    this.articles.delete(path);
    this.forgetChunks(chunkIds);
  }

  forgetChunks(ids: string[]): void {
    for (const id of ids) {
      const chunk = this.chunks.get(id);
      if (chunk) this.lostChunks.set(id, { articlePath: chunk.articlePath, contentHash: chunk.contentHash });
      this.chunks.delete(id);
      this.embedded.delete(id);
      this.retriever.lexical.remove(id);
    }
    this.retriever.removeVectors(ids);
  }

  summary(): CorpusSummary {
    const articles = [...this.articles.values()]
      .map(({ text: _text, chunkIds, ...rest }) => ({ ...rest, chunkCount: chunkIds.length }))
      .sort((a, b) => a.path.localeCompare(b.path));
    const stored = this.storedEmbedder;
    return {
      articles,
      chunkCount: this.chunks.size,
      embeddedCount: this.embedded.size,
      embedder: {
        loaded: this.embedder.model,
        storedModel: stored ? { key: stored.key, label: stored.label, dim: stored.dim, ...(stored.source.kind === 'files' ? { folder: stored.source.name } : {}) } : null,
        conflict: this.conflict,
      },
      engine: this.retriever.engineStatus(),
      settings: this.settings,
      embeddedThisSession: this.embeddedThisSession,
      questionCount: this.pairs.size,
      lastRechunk: this.lastRechunk,
    };
  }
}

/**
 * The source as stored: a picked folder by name only (its files are not copied into the corpus), so the
 * model loads again by itself only from a copy the user chose to keep (listed on the Models page).
 */
export function withoutFiles(source: ModelSource): ModelSource {
  return source.kind === 'files' ? { kind: 'files', name: source.name, files: [] } : source;
}

/** The key vectors are stored under: same files and dtype give the same vectors on any device. */
export function embedderKey(source: ModelSource, options: LoadOptions): string {
  return `${sourceKey(source)}|${options.dtype}`;
}

/** `stored` without the rows of chunks missing from `chunks`. */
function liveRows(stored: StoredVectors, chunks: Map<string, Chunk>): StoredVectors {
  if (stored.ids.every((id) => chunks.has(id))) return stored;
  const { dim } = stored;
  const rows = stored.ids.flatMap((id, row) => (chunks.has(id) ? [row] : []));
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => vectors.set(stored.vectors.subarray(row * dim, (row + 1) * dim), i * dim));
  return { ids: rows.map((row) => stored.ids[row]), dim, vectors };
}
