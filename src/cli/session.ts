// The CLI's corpus: the app's corpus worker handlers run in-process over an in-memory IndexedDB
// (fake-indexeddb), so the command line and the app share every step of the pipeline.
import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CorpusClient } from '../lib/clients/corpus';
import { inProcessEndpoint } from '../lib/clients/model-client';
import type { ChunkOptions } from '../lib/core/chunking';
import type { CorpusSummary, ImportQuestionsReport } from '../lib/core/corpus/reports';
import type { RetrievalMode } from '../lib/core/retrieval/types';
import { openDatabase } from '../lib/store/db';
import { createCorpusHandlers } from '../lib/workers/corpus/handler';
import { CliError } from './cli-error';
import { readDocsFolder } from './docs-folder';
import { isSystemError, systemReason } from './fs-errors';
import { readModelFolder } from './model-folder';

export interface SessionOptions {
  docs: string;
  questions: string;
  mode: RetrievalMode;
  model?: string;
  /** Chunk options to set before the docs are read (default: the app's defaults). */
  chunking?: ChunkOptions;
  /** Lines of progress go here (stderr), so stdout stays machine-readable. */
  log: (line: string) => void;
}

export interface Session {
  corpus: CorpusClient;
  summary: CorpusSummary;
  questions: ImportQuestionsReport;
  close(): void;
}

/** Ingests the docs, loads and indexes with the model when one is given, and imports the questions. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const questionsText = await readFile(resolve(options.questions), 'utf8').catch((error: unknown) => {
    throw new CliError(`Cannot read the questions file ${resolve(options.questions)}: ${isSystemError(error) ? systemReason(error) : String(error)}`);
  });
  if (options.mode !== 'lexical' && !options.model) throw new CliError(`--mode ${options.mode} needs --model <embedding model folder>; lexical needs none.`);
  const files = await readDocsFolder(options.docs);
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`raft-cli-${process.pid}-${Date.now()}`)));
  const corpus = new CorpusClient(endpoint, close);
  try {
    await corpus.call('open', undefined);
    if (options.chunking) await corpus.call('setSettings', { chunking: options.chunking });
    const { report } = await corpus.call('ingest', { files });
    options.log(`docs: ${report.added.length} articles added, ${report.skipped.length} skipped`);
    for (const skip of report.skipped) options.log(`  skipped ${skip.path}: ${skip.reason}`);
    if (options.model) {
      await corpus.call('loadEmbedder', { source: await readModelFolder(options.model, 'fp32'), options: { device: 'wasm', dtype: 'fp32' } });
      let last = -1;
      await corpus.call('index', undefined, {
        onProgress: (p) => {
          const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
          if (pct >= last + 10 || p.done === p.total) options.log(`embedding: ${p.done}/${p.total} chunks (${(last = pct)}%)`);
        },
      });
    }
    const questions = await corpus.call('importQuestions', { text: questionsText, fileName: options.questions });
    const summary = await corpus.call('summary', undefined);
    options.log(`corpus: ${summary.articles.length} articles, ${summary.chunkCount} chunks; questions: ${questions.rows} read, ${questions.unresolved.length} unresolved`);
    return { corpus, summary, questions, close: () => corpus.terminate() };
  } catch (error) {
    corpus.terminate();
    throw error;
  }
}

/** Lists every question that could not be used, with its line and the reason. */
export function describeProblems(report: ImportQuestionsReport): string[] {
  return [
    ...report.parseErrors.map((e) => `line ${e.line}: ${e.message}`),
    ...report.unresolved.map((u) => `line ${u.line}: "${u.question}": ${u.problem}`),
  ];
}
