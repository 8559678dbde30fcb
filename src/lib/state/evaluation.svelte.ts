// The Evaluation page's state: starting a run (questions snapshotted, models checked, manifest taken),
// running it through the core runner with each answer saved to IndexedDB as it finishes, pause, resume
// (also after a reload: answered questions are not asked again), cancel, past runs, the live summary,
// and the export files. The models are acquired per answer through ModelsState, one model after the other.
import { LIVE_RESAMPLES, SUMMARY_EVERY_MS } from '../config/tunables';
import { failureMessage, messageOf } from '../core/errors';
import { namedStorageError } from '../store/storage-full';
import { summariseRun } from '../core/eval/aggregate';
import { buildArms } from '../core/eval/plan';
import { runEvaluation, type RunProgress } from '../core/eval/runner';
import { evalFiles, type EvalFiles } from '../core/eval/files';
import type { EvalRecord, EvalRun, RunStatus, RunSummary } from '../core/eval/types';
import { EvalRepo, type RunListing } from '../store/eval-repo';
import { openEvalDatabase } from '../store/eval-db';
import { databaseNotices, noticeHooks } from './db-notices.svelte';
import { EvaluationForm } from './evaluation-form.svelte';
import { RunClock } from './evaluation-progress.svelte';
import { checkResume, prepareRun } from './evaluation-prepare';
import { corpusRetriever, readQuestionFile } from '../clients/evaluation-sources';
import type { EvaluationDeps } from './evaluation-deps';

export type { EvaluationDeps };

export const INTERRUPTED = 'Interrupted: the page was closed or reloaded while the run was going. Resume to answer the rest.';

export class EvaluationState {
  readonly form = new EvaluationForm();
  readonly clock = new RunClock();
  runs = $state.raw<RunListing[]>([]);
  run = $state.raw<EvalRun | null>(null);
  records = $state.raw<EvalRecord[]>([]);
  summary = $state.raw<RunSummary | null>(null);
  /** A run is being answered in this tab. */
  active = $state(false);
  /** What is being prepared before the first answer ("Reading the test split…"). */
  preparing = $state('');
  /** The answer being written, as it streams. */
  live = $state('');
  current = $state('');
  /** What went wrong with the shown run (stopped on an error, could not resume). */
  error = $state('');
  /** Why a new run could not start (the form, the questions, a model not loaded). */
  startError = $state('');
  loaded = $state(false);
  /** Test-split pairs tied to a chunk, for the form ("8 test questions"); null until read. */
  testCount = $state<number | null>(null);
  #repo: Promise<EvalRepo> | null = null;
  #controller: AbortController | null = null;
  #stopAs: RunStatus = 'paused';
  #summaryTimer: ReturnType<typeof setTimeout> | null = null;
  #summaryAt = 0;

  constructor(private readonly deps: EvaluationDeps) {}

  get total(): number {
    return this.run ? this.run.arms.length * this.run.questions.length : 0;
  }

  /** The shown run can be resumed: stopped before every answer was written, and not cancelled. */
  get resumable(): boolean {
    return !!this.run && !this.active && this.run.status === 'paused' && this.records.length < this.total;
  }

  #store(): Promise<EvalRepo> {
    this.#repo ??= (this.deps.openDb ?? openAppEvalDatabase)().then((db) => new EvalRepo(db));
    this.#repo.catch(() => (this.#repo = null));
    return this.#repo;
  }

  /** Reads the past runs and shows the newest; a run left 'running' by a reload becomes 'paused'. */
  async load(): Promise<void> {
    if (this.active) return;
    try {
      const repo = await this.#store();
      let runs = await repo.listRuns();
      const interrupted = runs.filter((r) => r.run.status === 'running');
      for (const { run } of interrupted) await repo.putRun({ ...run, status: 'paused', notice: INTERRUPTED });
      if (interrupted.length) runs = await repo.listRuns();
      this.runs = runs;
      if (!this.run && runs[0]) await this.open(runs[0].run.id);
      else if (this.run) this.run = runs.find((r) => r.run.id === this.run!.id)?.run ?? null;
    } catch (error) {
      this.error = `Could not read the past evaluations: ${messageOf(error)}`;
    } finally {
      this.loaded = true;
    }
  }

  /** Counts the test split's pairs for the form. */
  async refreshQuestions(): Promise<void> {
    try {
      if (!(await this.deps.corpus.open())) return;
      const pairs = await this.deps.corpus.client.call('listQuestions', undefined);
      this.testCount = pairs.filter((p) => p.status === 'ok' && p.split === 'test').length;
    } catch (error) {
      this.error = `Could not read the question set: ${messageOf(error)}`;
    }
  }

  /** Shows a stored run and its answers (not while another one runs here). */
  async open(id: string): Promise<void> {
    if (this.active) return;
    const repo = await this.#store();
    const run = await repo.getRun(id);
    if (!run) return;
    this.run = run;
    this.records = await repo.records(id);
    this.form.apply(run.settings);
    this.error = run.error ?? '';
    this.#refreshSummary(true);
  }

  /** Reads a question file for the next run only: resolved against the corpus, not added to the question set. */
  async chooseFile(name: string, text: string): Promise<void> {
    this.startError = '';
    try {
      if (!(await this.deps.corpus.open())) throw new Error('The corpus could not be opened.');
      this.form.file = await readQuestionFile(this.deps.corpus.client, name, text);
      this.form.source = 'file';
    } catch (error) {
      this.startError = `Could not read ${name}: ${messageOf(error)}`;
    }
  }

  /** Starts a new run with the form's settings over the chosen questions. */
  async start(): Promise<void> {
    if (this.active) return;
    this.startError = '';
    const checked = this.form.settings(this.deps.template());
    if ('error' in checked) return void (this.startError = checked.error);
    const { settings } = checked;
    if (this.form.source === 'file' && !this.form.file) return void (this.startError = 'Choose a question file first, or evaluate on the test split.');
    const arms = buildArms(settings);
    const file = this.form.source === 'file' ? this.form.file : null;
    await this.#prepareThenExecute(
      async (step) => {
        const run = await prepareRun(this.deps, { settings, arms, file, now: this.#now() }, step);
        await (await this.#store()).putRun(run);
        this.run = run;
        this.records = [];
        this.#refreshSummary(true);
      },
      (message) => (this.startError = message),
    );
  }

  /** Continues the shown run with the same models (after a pause or a reload). */
  async resume(): Promise<void> {
    const run = this.run;
    if (!run || this.active || !this.resumable) return;
    this.error = '';
    await this.#prepareThenExecute(
      (step) => checkResume(this.deps, run, step),
      (message) => (this.error = message),
    );
  }

  /** Stops after dropping the answer being written; resume asks it again. */
  pause(): void {
    this.#stop('paused');
  }

  /** Stops for good: the answers so far stay, the run cannot be resumed. */
  async cancel(): Promise<void> {
    if (this.active) return this.#stop('cancelled');
    if (this.run && this.run.status === 'paused') await this.#setStatus('cancelled');
  }

  async deleteRun(id: string): Promise<void> {
    if (this.active && this.run?.id === id) return;
    try {
      await (await this.#store()).deleteRun(id);
      if (this.run?.id === id) {
        this.run = null;
        this.records = [];
        this.summary = null;
        this.error = '';
      }
      this.runs = await (await this.#store()).listRuns();
    } catch (error) {
      this.error = `Could not delete the run: ${messageOf(error)}`;
    }
  }

  /** The export files of the shown run (the summary computed afresh over every record). */
  files(): EvalFiles | null {
    return this.run ? evalFiles(this.run, this.records).files : null;
  }

  /** Runs the checks before answering, showing their steps in `preparing`; on failure says why through `fail` and answers nothing. */
  async #prepareThenExecute(prepare: (step: (label: string) => void) => Promise<void>, fail: (message: string) => void): Promise<void> {
    this.active = true;
    try {
      await prepare((step) => (this.preparing = step));
    } catch (error) {
      fail(messageOf(error));
      this.active = false;
      return;
    } finally {
      this.preparing = '';
    }
    await this.#execute();
  }

  async #execute(): Promise<void> {
    const run = this.run!;
    const controller = new AbortController();
    this.#controller = controller;
    this.#stopAs = 'paused';
    this.clock.start(this.records.length, this.total, this.#now());
    let status: RunStatus = 'paused';
    let error: string | undefined;
    try {
      await this.#setStatus('running');
      const repo = await this.#store();
      const judge = run.settings.judge ? this.deps.judge() : null;
      const outcome = await runEvaluation(
        { settings: run.settings, arms: run.arms, questions: run.questions, done: new Set(this.records.map((r) => r.key)) },
        {
          retrieve: corpusRetriever(this.deps.corpus.client),
          acquire: (role) => this.deps.acquire(role),
          judge: judge && 'generate' in judge ? judge.generate : undefined,
          save: async (record) => {
            await repo.putRecord(run.id, record, this.#now());
            this.records = [...this.records, record];
            this.#refreshSummary(false);
          },
          onProgress: (p) => this.#progress(p),
          onToken: (text) => (this.live += text),
          signal: controller.signal,
        },
      );
      status = outcome.complete ? 'done' : this.#stopAs;
    } catch (e) {
      status = controller.signal.aborted ? this.#stopAs : 'paused';
      if (!controller.signal.aborted) error = `The run stopped: ${messageOf(await namedStorageError(e))} Fix it and resume: answered questions are kept.`;
    } finally {
      this.#controller = null;
      this.active = false;
      this.live = '';
      this.current = '';
      this.clock.stop();
      this.#refreshSummary(true);
    }
    this.error = error ?? '';
    await this.#setStatus(status, error);
  }

  #progress(p: RunProgress): void {
    this.clock.tick(p.done, this.#now());
    if (!p.record) {
      this.live = '';
      this.current = `${p.item.arm.label}: ${p.item.question.question}`;
    }
  }

  #stop(as: RunStatus): void {
    if (!this.#controller) return;
    this.#stopAs = as;
    this.#controller.abort();
  }

  async #setStatus(status: RunStatus, error?: string): Promise<void> {
    if (!this.run) return;
    const run: EvalRun = { ...this.run, status, updatedAt: this.#now() };
    if (error) run.error = error;
    else delete run.error;
    delete run.notice;
    this.run = run;
    try {
      const repo = await this.#store();
      await repo.putRun(run);
      this.runs = await repo.listRuns();
    } catch (e) {
      this.error = failureMessage('Could not save the run', await namedStorageError(e));
    }
  }

  /** The summary, recomputed at most once a second while answers arrive, with fewer resamples (bootstrap is the costly part). */
  #refreshSummary(now: boolean): void {
    if (this.#summaryTimer) clearTimeout(this.#summaryTimer);
    this.#summaryTimer = null;
    const wait = SUMMARY_EVERY_MS - (this.#now() - this.#summaryAt);
    if (!now && wait > 0) {
      this.#summaryTimer = setTimeout(() => this.#refreshSummary(true), wait);
      return;
    }
    this.#summaryAt = this.#now();
    const run = this.run;
    const settings = run && this.active ? { ...run.settings, resamples: Math.min(LIVE_RESAMPLES, run.settings.resamples) } : run?.settings;
    this.summary = run && settings ? summariseRun({ settings, arms: run.arms, questions: run.questions, records: this.records }) : null;
  }

  #now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

/** The app's evaluation database; another tab's version change is told above the page. */
async function openAppEvalDatabase() {
  const db = await openEvalDatabase(undefined, noticeHooks('evaluation'));
  databaseNotices.opened('evaluation');
  return db;
}
