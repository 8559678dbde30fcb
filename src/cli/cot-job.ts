// `raft build --cot endpoint|local`: writes the chain-of-thought answers of a build with a language model, resumable
// from the output folder. Each record is appended to <out>/cot-records.jsonl the moment it is written, so a crash,
// Ctrl-C or a failing server loses nothing written; a rerun reads the file and asks only the rest.
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GeneratorClient } from '../lib/clients/generator';
import { inProcessEndpoint } from '../lib/clients/model-client';
import { RemoteGenerator, RemoteGeneratorError } from '../lib/clients/remote-generator';
import { messageOf } from '../lib/core/errors';
import { runCotJob, type CotBuildInput } from '../lib/core/raft/cot';
import type { CotGenerate, CotRecord, CotTask } from '../lib/core/raft/cot-types';
import { createLlmHandlers } from '../lib/workers/llm/handler';
import { CliError } from './cli-error';
import type { CotOptions } from './cot-flags';
import { readModelFolder } from './model-folder';

/** The file of written answers in the output folder. */
export const COT_RECORDS_FILE = 'cot-records.jsonl';

/** What a build gives the writer: its tasks and each task's template answer (by key). */
export interface CotBuildTasks {
  cotTasks: CotTask[];
  templateAnswers: Record<string, string>;
}

/**
 * Writes the answers of every task not yet in <out>/cot-records.jsonl and returns the writer and all records, for
 * the build that makes the files. `tasksOf` builds the dataset once to learn the tasks.
 */
export async function writeCliCot(options: CotOptions, tasksOf: (cot: CotBuildInput) => Promise<CotBuildTasks>, out: string, log: (line: string) => void): Promise<CotBuildInput> {
  // 1. The writer: an endpoint, or a language model loaded into this process.
  const writer = await openWriter(options, log);
  try {
    const cot: CotBuildInput = { source: options.writer.source, model: writer.model, settings: options.settings, records: [] };
    // 2. The tasks, and what an earlier run already wrote.
    const { cotTasks: tasks, templateAnswers } = await tasksOf(cot);
    await mkdir(out, { recursive: true });
    const path = join(out, COT_RECORDS_FILE);
    const records = await readCotRecords(path);
    const keys = new Set(tasks.map((t) => t.key));
    const done = new Set(records.filter((r) => keys.has(r.key)).map((r) => r.key));
    if (done.size > 0) log(`cot: ${done.size} of ${tasks.length} answers already written in ${path}; asking the other ${tasks.length - done.size}`);
    else log(`cot: writing ${tasks.length} answers with ${writer.model} (${options.concurrency} at a time)`);
    // 3. The job, appending each record as it comes.
    const file = await openAppend(path);
    const started = Date.now();
    let lastLog = 0;
    let fresh = 0;
    try {
      await runCotJob({
        tasks,
        templateAnswers: new Map(Object.entries(templateAnswers)),
        generate: writer.generate,
        settings: options.settings,
        model: writer.model,
        concurrency: options.concurrency,
        done,
        save: async (record) => {
          await file.appendFile(JSON.stringify(record) + '\n');
          records.push(record);
          fresh++;
        },
        retryable: (error) => !(error instanceof RemoteGeneratorError && (error.problem === 'auth' || error.problem === 'not-found' || error.problem === 'config')),
        onRetry: ({ retry, error }) => log(`cot: ${writer.where} failed (${oneLine(error)}); retry ${retry}`),
        onProgress: (p) => {
          const now = Date.now();
          if (now - lastLog < 1000 && p.done < p.total) return;
          lastLog = now;
          const rate = fresh / Math.max(0.001, (now - started) / 1000);
          const eta = rate > 0 ? Math.round((p.total - p.done) / rate) : null;
          log(`cot: ${p.done}/${p.total} done, ${p.written} written, ${p.fellBack} fell back, ${rate.toFixed(2)}/s${p.done < p.total && eta !== null ? `, ETA ${eta} s` : ''}`);
        },
      });
    } catch (error) {
      const kept = records.filter((r) => keys.has(r.key)).length;
      throw new CliError(`Writing the chain-of-thought stopped: ${writer.where} failed: ${oneLine(error)} ${kept} of ${tasks.length} answers are kept in ${path}; run the same command again to resume.`);
    } finally {
      await file.close();
    }
    const current = records.filter((r) => keys.has(r.key));
    const written = current.filter((r) => r.origin === 'model').length;
    log(`cot: ${written} of ${tasks.length} answers written by ${writer.model}, ${current.length - written} fell back to the template`);
    return { ...cot, records: current };
  } finally {
    writer.close();
  }
}

/** The records of an earlier run; a line cut short by a crash is skipped. */
export async function readCotRecords(path: string): Promise<CotRecord[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new CliError(`Cannot read ${path}: ${error.message}`);
  });
  const records: CotRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as CotRecord;
      if (typeof record.key === 'string' && (record.origin === 'model' || record.origin === 'fallback') && typeof record.cotAnswer === 'string') records.push(record);
    } catch {
      // NOTE: only the last line can be partial (the process died while writing it); its task is asked again.
    }
  }
  return records;
}

/** Opens the records file for appending, first ending a line a crash left unfinished. */
async function openAppend(path: string) {
  const file = await open(path, 'a+');
  const { size } = await file.stat();
  if (size > 0) {
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await file.appendFile('\n');
  }
  return file;
}

interface Writer {
  /** The model's label, recorded in every record and the manifest. */
  model: string;
  /** Where replies come from, for messages (never holds the key). */
  where: string;
  generate: CotGenerate;
  close(): void;
}

async function openWriter(options: CotOptions, log: (line: string) => void): Promise<Writer> {
  const { writer, settings, requestTimeoutMs } = options;
  if (writer.source === 'endpoint') {
    const where = `the endpoint ${writer.baseUrl} (model "${writer.model}")`;
    return {
      model: writer.model,
      where,
      generate: async (messages, signal) => {
        // Node's fetch says only "fetch failed"; its cause (ECONNREFUSED, ENOTFOUND…) is what the user can act on.
        let unreachable: string | null = null;
        const fetcher: typeof fetch = (...args) =>
          fetch(...args).catch((error: Error & { cause?: Error }) => {
            unreachable = error.cause?.message ?? error.message;
            throw error;
          });
        const remote = new RemoteGenerator({ baseUrl: writer.baseUrl, model: writer.model, apiKey: writer.apiKey }, fetcher);
        const timeout = AbortSignal.timeout(requestTimeoutMs);
        let result;
        try {
          result = await remote.generate(messages, settings.generation, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        } catch (error) {
          // NOTE: the client's advice about CORS is for browsers; from Node only the server and the URL can be wrong.
          if (unreachable && error instanceof RemoteGeneratorError && error.problem === 'network') throw new RemoteGeneratorError(`could not reach it (${unreachable}): check that the server is running and the URL is right.`, 'network');
          throw error;
        }
        // NOTE: the client resolves with the partial text when stopped, so the timeout must be turned into an error here.
        if (timeout.aborted && !signal?.aborted) throw new RemoteGeneratorError(`no complete reply within ${requestTimeoutMs / 1000} s (--request-timeout).`, 'network');
        return result.text;
      },
      close: () => {},
    };
  }
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const client = new GeneratorClient(endpoint, close);
  try {
    const loaded = await client.load(await readModelFolder(writer.folder, 'fp32'), { device: 'wasm', dtype: 'fp32' });
    log(`cot: writer model ${loaded.label} (${loaded.dtype})`);
    return {
      model: loaded.label,
      where: `the writer model ${loaded.label}`,
      generate: async (messages, signal) => (await client.generate(messages, settings.generation, { signal })).text,
      close: () => client.terminate(),
    };
  } catch (error) {
    client.terminate();
    throw error;
  }
}

function oneLine(error: unknown): string {
  const text = messageOf(error);
  const flat = text.replace(/\s+/g, ' ').trim();
  return /[.!?]$/.test(flat) ? flat : `${flat}.`;
}
