// What the corpus worker does to its articles: ingest dropped files and re-chunk stored ones. Each
// operation writes to IndexedDB first, then updates the in-memory CorpusState.
import { articleFromText, prepareFile } from '../../core/corpus/prepare';
import { normalisePath, screenFile } from '../../core/corpus/files';
import { CHUNKER_VERSION } from '../../core/chunking';
import type { IngestFile } from '../../core/corpus/reports';
import { emptyReport, type IngestReport } from '../../core/corpus/types';
import { CancelledError, isStorageFull, messageOf } from '../../core/errors';
import type { RechunkReport } from '../../core/corpus/reports';
import { DatabaseClosedError } from '../../core/tabs';
import { yieldToEventLoop } from '../yield';
import { META, type CorpusState } from './corpus-state';
import { refreshPairs } from './questions';

export type FileProgress = (p: { done: number; total: number; path: string }) => void;

export async function ingest(state: CorpusState, files: IngestFile[], progress: FileProgress, signal: AbortSignal): Promise<IngestReport> {
  await ensureChunkTokenizer(state, progress);
  const report = emptyReport();
  const seen = new Set<string>();
  const tokenizer = state.countTokens();
  for (const [i, file] of files.entries()) {
    if (signal.aborted) throw new CancelledError('Adding files was cancelled; the files added so far are kept.');
    const path = normalisePath(file.path);
    progress({ done: i, total: files.length, path });
    if (seen.has(path)) {
      report.skipped.push({ path, reason: 'the same path was dropped twice; the first copy was used' });
      continue;
    }
    seen.add(path);
    try {
      // NOTE: screened before reading, so a huge file is never read into memory.
      const refused = screenFile(path, file.blob.size);
      if (refused) {
        report.skipped.push({ path, reason: refused });
        continue;
      }
      const stored = state.articles.get(path);
      const prepared = prepareFile({
        path,
        bytes: new Uint8Array(await file.blob.arrayBuffer()),
        storedHash: stored?.contentHash,
        chunking: state.settings.chunking,
        countTokens: tokenizer.count,
        now: Date.now(),
      });
      if (prepared.kind === 'skipped') report.skipped.push({ path, reason: prepared.reason });
      else if (prepared.kind === 'unchanged') report.unchanged.push(path);
      else {
        const record = { ...prepared.article, text: prepared.text };
        const { removedChunkIds } = await state.repo.saveArticle(record, prepared.chunks);
        const before = new Set(stored?.chunkIds ?? []);
        report.chunksAdded += prepared.chunks.filter((c) => !before.has(c.id)).length;
        report.chunksRemoved += removedChunkIds.length;
        state.applyArticle(record, prepared.chunks, removedChunkIds);
        (stored ? report.updated : report.added).push(path);
        for (const message of prepared.article.warnings) report.warnings.push({ path, message });
      }
    } catch (error) {
      // NOTE: a database closed under the ingest is no fault of the file: the whole ingest stops and says why.
      if (state.closed) throw new DatabaseClosedError(state.closed);
      // NOTE: a full storage is no fault of the file either: the ingest stops there and says so (files before it are kept).
      if (isStorageFull(error)) throw error;
      report.skipped.push({ path, reason: `could not be read: ${messageOf(error)}` });
    }
    await yieldToEventLoop();
  }
  progress({ done: files.length, total: files.length, path: '' });
  return report;
}

/**
 * Chunks are bounded by the tokens of the tokenizer in use: when that changes (an embedding model
 * was adopted), when chunk settings change, or when the chunks were made by older chunking rules
 * (CHUNKER_VERSION), every stored article is re-chunked. Chunk ids depend on content, so unchanged
 * chunks keep their ids and their vectors.
 */
export async function ensureChunkTokenizer(state: CorpusState, progress: FileProgress, force = false): Promise<{ articles: number; chunksBefore: number; chunksAfter: number } | null> {
  const tokenizer = state.countTokens();
  if (!force && state.chunkTokenizer === tokenizer.key && state.chunkerVersion === CHUNKER_VERSION) return null;
  const articles = [...state.articles.values()];
  const chunksBefore = state.chunks.size;
  for (const [i, stored] of articles.entries()) {
    progress({ done: i, total: articles.length, path: stored.path });
    const { article, chunks } = articleFromText(stored.path, stored.text, stored.contentHash, stored.bytes, {
      chunking: state.settings.chunking,
      countTokens: tokenizer.count,
      now: stored.addedAt,
    });
    const record = { ...article, text: stored.text };
    const { removedChunkIds } = await state.repo.saveArticle(record, chunks);
    state.applyArticle(record, chunks, removedChunkIds);
    await yieldToEventLoop();
  }
  state.chunkTokenizer = tokenizer.key;
  state.chunkerVersion = CHUNKER_VERSION;
  await state.repo.setMeta(META.chunkTokenizer, tokenizer.key);
  await state.repo.setMeta(META.chunker, CHUNKER_VERSION);
  return { articles: articles.length, chunksBefore, chunksAfter: state.chunks.size };
}

/**
 * Re-chunks every article when needed (see {@link ensureChunkTokenizer}; always with `force`), ties the questions
 * again to the chunks holding their quote, and records what it did (`lastRechunk`) for the page to tell.
 */
export async function rechunkCorpus(state: CorpusState, progress: FileProgress, reason: RechunkReport['reason'], force = false): Promise<void> {
  const done = await ensureChunkTokenizer(state, progress, force);
  const questions = await refreshPairs(state);
  if (!done || done.articles === 0) return;
  const model = reason === 'embedder' ? state.storedEmbedder?.label : undefined;
  state.lastRechunk = { reason, ...(model ? { model } : {}), ...done, questionsReattached: questions.reattached, questionsOrphaned: questions.orphaned, at: Date.now() };
}

/**
 * On opening: chunks stored by older chunking rules are re-chunked now when the tokenizer they were counted
 * with is at hand (the model-free count); chunks counted with an embedding model's tokenizer wait until that
 * model is loaded again, which re-chunks them (see {@link ensureChunkTokenizer}). Returns whether it re-chunked.
 */
export async function upgradeChunks(state: CorpusState): Promise<boolean> {
  if (state.chunkerVersion === CHUNKER_VERSION || state.chunkTokenizer !== state.countTokens().key) return false;
  await rechunkCorpus(state, () => {}, 'rules');
  return true;
}
