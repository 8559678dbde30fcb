// The Fine-tune page: LoRA training of a base model on the dataset's train split, in a worker, with progress,
// pause, resume after a reload (checkpoints in IndexedDB), cancel, and the result loaded into the arena or
// downloaded. The worker and the storage come in as dependencies, so Node tests run it with in-process ones.
import type { Trainer, TrainDevice } from '../clients/trainer';
import { CancelledError, messageOf } from '../core/errors';
import { zipParts, type ZipEntry } from '../core/formats/zip';
import type { ChatMessage } from '../core/generation';
import { hash } from '../core/hash';
import type { ModelFile, ModelSource } from '../core/models';
import type { TrainCheckpoint, TrainOutput, TrainProgress } from '../core/train/run-types';
import { RECIPE_DEFAULTS, settingsProblem, type TrainSettings } from '../core/train/settings';
import type { StoredRun, TrainStore } from '../store/train-db';

export interface TrainingDeps {
  trainer: () => Trainer;
  store: TrainStore;
  /** The dataset's train split in chat format (what Export dataset → chat writes). */
  chats: () => Promise<ChatMessage[][]>;
  /** The base model to fine-tune and its label: the bundled demo base, or the one loaded in Models. */
  base: (choice: BaseChoice) => { source: ModelSource; label: string };
  /** The label of the base model loaded in Models when the trainer can read it (a folder or URL), else null. */
  loadedBase: () => string | null;
  /** Loads a model folder as the arena's fine-tuned model. */
  useAsFineTuned: (folder: { name: string; files: ModelFile[] }) => Promise<void>;
  /** Saving a checkpoint at most this often. Milliseconds. */
  checkpointEveryMs?: number;
}

/** Which model is fine-tuned: the bundled demo base, or the base model loaded in Models. */
export type BaseChoice = 'demo' | 'loaded';

export type TrainStatus = 'idle' | 'running' | 'stopping' | 'paused' | 'done' | 'error';

/** The form's fields: the recipe's settings a learner changes most, and the backend. */
export interface TrainForm {
  base: BaseChoice;
  rank: number;
  lr: number;
  epochs: number;
  maxLength: number;
  device: TrainDevice;
}

export class TrainingState {
  form = $state<TrainForm>({ base: 'demo', rank: 8, lr: 1e-3, epochs: 3, maxLength: 1536, device: 'wasm' });
  status = $state<TrainStatus>('idle');
  progress = $state.raw<TrainProgress | null>(null);
  /** Loss per step so far (the chart). */
  losses = $state.raw<number[]>([]);
  error = $state('');
  output = $state.raw<TrainOutput | null>(null);
  /** Steps saved in the last checkpoint, when a run can be resumed. */
  resumableAt = $state<number | null>(null);
  #checkpoint: TrainCheckpoint | null = null;
  #run: StoredRun | null = null;
  #controller: AbortController | null = null;
  #discard = false;

  constructor(private readonly deps: TrainingDeps) {}

  /** The base model loaded in Models, when the trainer can read it (for the form's choice). */
  get loadedBase(): string | null {
    return this.deps.loadedBase();
  }

  /** The recipe's settings with the form's values. */
  get settings(): TrainSettings {
    const { rank, lr, epochs, maxLength } = this.form;
    return { ...RECIPE_DEFAULTS, rank, alpha: 2 * rank, lr, epochs, maxLength };
  }

  /** Brings back the stored run after a reload: a finished one's files, an interrupted one's checkpoint. */
  async restore(): Promise<void> {
    const run = await this.deps.store.load().catch((error) => ((this.error = `The saved fine-tuning run could not be read: ${messageOf(error)}`), null));
    if (!run) return;
    this.#run = run;
    const { rank, lr, epochs, maxLength } = run.settings;
    this.form = { base: run.base, rank, lr, epochs, maxLength, device: run.device };
    this.losses = (run.output?.record.steps ?? run.checkpoint?.log ?? []).map((s) => s.loss);
    if (run.status === 'done' && run.output) {
      this.output = run.output;
      this.status = 'done';
    } else if (run.checkpoint) {
      this.#checkpoint = run.checkpoint;
      this.resumableAt = run.checkpoint.state.steps;
      this.status = 'paused';
    }
  }

  /** Starts a new run (dropping any paused one); a setting out of its range is said, and nothing is dropped. */
  start(): Promise<void> {
    const problem = settingsProblem(this.settings);
    if (problem) {
      this.error = problem;
      return Promise.resolve();
    }
    return this.#train(null);
  }

  /** Continues the paused (or interrupted) run from its last checkpoint. */
  resume(): Promise<void> {
    return this.#train(this.#checkpoint);
  }

  /** Stops after the current step, keeping a checkpoint to resume from. */
  pause(): void {
    if (this.status !== 'running') return;
    this.status = 'stopping';
    this.#controller?.abort();
  }

  /** Stops the run (if any) and forgets it and its checkpoint. */
  async cancel(): Promise<void> {
    this.#discard = true;
    this.#controller?.abort();
    this.#checkpoint = null;
    this.#run = null;
    this.resumableAt = null;
    this.progress = null;
    this.losses = [];
    this.output = null;
    this.status = 'idle';
    await this.deps.store.clear();
  }

  /** Loads the fine-tuned model into the arena's fine-tuned card. */
  async useInArena(): Promise<void> {
    if (!this.output) return;
    const files = this.output.folder.map((f) => ({ path: f.path, blob: new Blob([f.bytes as BlobPart]) }));
    await this.deps.useAsFineTuned({ name: `${this.#run?.baseLabel ?? 'model'}-lora`, files });
  }

  /** The fine-tuned model folder as a zip (transformers.js layout). */
  modelZip(): Blob | null {
    return this.output ? zipBlob(this.output.folder) : null;
  }

  /** The adapter alone as a zip (PEFT layout). */
  adapterZip(): Blob | null {
    return this.output ? zipBlob(this.output.adapter) : null;
  }

  async #train(resume: TrainCheckpoint | null): Promise<void> {
    if (this.status === 'running' || this.status === 'stopping') return;
    this.error = '';
    this.output = null;
    this.#discard = false;
    this.status = 'running';
    const controller = (this.#controller = new AbortController());
    const trainer = this.deps.trainer();
    try {
      // 1. Inputs: the dataset's chats and the base; a resume needs the very same ones.
      const chats = await this.deps.chats();
      const kept = resume ? this.#run : null;
      const choice = kept ? kept.base : this.form.base;
      const base = this.deps.base(choice);
      const settings = kept ? kept.settings : this.settings;
      const device = kept ? kept.device : this.form.device;
      const fingerprint = hash(JSON.stringify([base.label, settings, chats]));
      if (resume && this.#run?.fingerprint !== fingerprint) {
        throw new Error('The dataset or the base model changed since this run was paused: start a new run.');
      }
      if (!resume) this.losses = [];
      this.#run = { id: 'current', status: 'running', fingerprint, base: choice, baseLabel: base.label, settings, device, checkpoint: resume, output: null, updatedAt: Date.now() };
      await this.deps.store.save(this.#run);
      // 2. The run, saving each checkpoint as it comes.
      const output = await trainer.train(
        { base: base.source, chats, settings, device, ...(resume ? { resume } : {}), checkpointEveryMs: this.deps.checkpointEveryMs },
        {
          signal: controller.signal,
          onProgress: (p) => {
            this.progress = p;
            if (p.phase === 'training' && p.loss !== undefined) this.losses = [...this.losses.slice(0, p.step - 1), p.loss];
          },
          onCheckpoint: (checkpoint) => void this.#saveCheckpoint(checkpoint),
        },
      );
      // NOTE: saved before it is shown, so a reload right after "ready" still finds it.
      this.#run = { ...this.#run, status: 'done', checkpoint: null, output, updatedAt: Date.now() };
      await this.deps.store.save(this.#run).catch((error) => (this.error = `The fine-tuned model could not be kept for the next visit: ${messageOf(error)}`));
      this.output = output;
      this.status = 'done';
      this.resumableAt = null;
      this.#checkpoint = null;
    } catch (error) {
      if (this.#discard) return;
      if (error instanceof CancelledError || controller.signal.aborted) {
        this.status = this.#checkpoint ? 'paused' : 'idle';
        return;
      }
      this.status = 'error';
      this.error = messageOf(error);
    } finally {
      trainer.terminate();
      if (this.#controller === controller) this.#controller = null;
    }
  }

  async #saveCheckpoint(checkpoint: TrainCheckpoint): Promise<void> {
    if (this.#discard || !this.#run) return;
    this.#checkpoint = checkpoint;
    this.resumableAt = checkpoint.state.steps;
    this.#run = { ...this.#run, status: this.status === 'stopping' ? 'paused' : 'running', checkpoint, updatedAt: Date.now() };
    await this.deps.store.save(this.#run).catch((error) => (this.error = `The checkpoint could not be saved: ${messageOf(error)}`));
  }
}

function zipBlob(entries: readonly ZipEntry[]): Blob {
  return new Blob(zipParts(entries) as BlobPart[], { type: 'application/zip' });
}
