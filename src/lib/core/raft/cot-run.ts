// Writing chain-of-thought answers: one task's attempts (check, retry with the reasons, fall back to the template),
// and a job over many tasks with bounded concurrency that saves each record as soon as it is written, so a crash,
// a cancel or a failing server loses nothing already written and a rerun asks only the rest.
import { checkCot } from './cot-check';
import { cotMessages } from './cot-prompt';
import type { CotGenerate, CotRecord, CotSettings, CotTask } from './cot-types';

/**
 * Asks up to `settings.attempts` replies (each retry tells the model why the last was rejected); returns a 'model'
 * record, or a 'fallback' record whose cotAnswer is `templateAnswer`. A generate() that throws is NOT a rejection:
 * the error propagates (the job decides about retries of transport errors). Aborting throws the signal's reason.
 */
export async function writeCot(task: CotTask, templateAnswer: string, generate: CotGenerate, settings: CotSettings, model: string, signal?: AbortSignal): Promise<CotRecord> {
  const rejections: string[] = [];
  let previous: { reply: string; reasons: string[] } | undefined;
  for (let attempt = 1; attempt <= settings.attempts; attempt++) {
    signal?.throwIfAborted();
    const reply = await generate(cotMessages(settings.prompt, task, previous), signal);
    // NOTE: a generator stopped by the signal resolves with partial text; that text is no reply to judge.
    signal?.throwIfAborted();
    const check = checkCot(reply, task, settings.minAnswerF1);
    if (check.ok) return { key: task.key, origin: 'model', cotAnswer: check.cotAnswer, attempts: attempt, rejections, model };
    rejections.push(check.reasons.join('; '));
    previous = { reply, reasons: check.reasons };
  }
  return { key: task.key, origin: 'fallback', cotAnswer: templateAnswer, attempts: settings.attempts, rejections, model };
}

/** Counts after each finished task: `done` includes tasks already done before the run; the others count this run. */
export interface CotJobProgress {
  done: number;
  total: number;
  written: number;
  fellBack: number;
}

export interface CotJobOptions {
  tasks: CotTask[];
  /** The template answer of each task, by task key: what a task falls back to. */
  templateAnswers: ReadonlyMap<string, string>;
  generate: CotGenerate;
  settings: CotSettings;
  model: string;
  /** Tasks in flight at once, 1..64. */
  concurrency: number;
  /** Keys already written (skipped: nothing written is asked again). */
  done: ReadonlySet<string>;
  /** Called with each record as soon as it is written; the job waits for it before counting the task done. */
  save: (record: CotRecord) => Promise<void>;
  signal?: AbortSignal;
  onProgress?: (p: CotJobProgress) => void;
  /** Retries of a throwing generate() per task before the job stops with that error. Default 2. */
  transportRetries?: number;
  /** Wait before the n-th retry (1-based) of a throwing generate(), in ms. Default 500·2^(n-1). */
  retryDelayMs?: (retry: number) => number;
  /** Whether a thrown error is worth a retry (a timeout is; a refused API key is not). Default: every error. */
  retryable?: (error: unknown) => boolean;
  /** Called before each retry of a throwing generate(), e.g. to log it. */
  onRetry?: (info: { task: CotTask; retry: number; error: unknown }) => void;
}

export interface CotJobResult {
  /** Records of this run: model-written, and fallen back to the template. */
  written: number;
  fellBack: number;
  /** True when the signal stopped the job before every task was done. */
  stopped: boolean;
}

/**
 * Runs tasks with up to `concurrency` in flight, skipping keys in `done`, calling `save` for each record as soon
 * as it is written (so a crash loses nothing written), progress after each. Stops on abort (resolves, what was
 * saved stays) or rethrows the first generate error after in-flight tasks settle.
 */
export async function runCotJob(options: CotJobOptions): Promise<CotJobResult> {
  const { tasks, signal, settings, model } = options;
  const retries = options.transportRetries ?? 2;
  const delay = options.retryDelayMs ?? ((n: number) => 500 * 2 ** (n - 1));
  const todo = tasks.filter((t) => !options.done.has(t.key));
  const progress: CotJobProgress = { done: tasks.length - todo.length, total: tasks.length, written: 0, fellBack: 0 };
  let next = 0;
  let failure: { error: unknown } | null = null;

  const writeOne = async (task: CotTask): Promise<CotRecord> => {
    const template = options.templateAnswers.get(task.key);
    if (template === undefined) throw new Error(`No template answer for the chain-of-thought task of example ${task.exampleId}: build the tasks and template answers together.`);
    for (let retry = 0; ; retry++) {
      try {
        return await writeCot(task, template, options.generate, settings, model, signal);
      } catch (error) {
        if (signal?.aborted || retry >= retries || failure || options.retryable?.(error) === false) throw error;
        options.onRetry?.({ task, retry: retry + 1, error });
        await sleep(delay(retry + 1), signal);
      }
    }
  };

  const lane = async () => {
    while (!failure && !signal?.aborted && next < todo.length) {
      const task = todo[next++];
      let record: CotRecord;
      try {
        record = await writeOne(task);
      } catch (error) {
        if (!signal?.aborted) failure ??= { error };
        return;
      }
      try {
        await options.save(record);
      } catch (error) {
        failure ??= { error };
        return;
      }
      progress.done++;
      if (record.origin === 'model') progress.written++;
      else progress.fellBack++;
      options.onProgress?.({ ...progress });
    }
  };

  const width = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, todo.length));
  await Promise.all(Array.from({ length: width }, lane));
  // NOTE: the lanes set `failure` inside closures, which TypeScript's narrowing cannot see.
  const stop = failure as { error: unknown } | null;
  if (stop) throw stop.error;
  return { written: progress.written, fellBack: progress.fellBack, stopped: progress.done < progress.total };
}

/** Waits `ms`, or until the signal aborts (then rejects with its reason). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
