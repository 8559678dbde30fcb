// The model manager's state: models kept in this browser (Hub downloads grouped by model id and
// revision, and local folders the user chose to keep), their sizes, saving and deleting them.
import { messageOf } from '../core/errors';
import { groupHubFiles, type CachedHubModel, type SavedFolder } from '../core/model-cache';
import type { ModelFile } from '../core/models';
import type { ModelStorage } from '../store/model-storage';

export class ModelStore {
  hub = $state.raw<CachedHubModel[]>([]);
  /** Cached files that are not Hub model files (e.g. from an older version of the app). */
  other = $state.raw<{ url: string; size: number }[]>([]);
  saved = $state.raw<SavedFolder[]>([]);
  /** Whether the listing has been read at least once. */
  ready = $state(false);
  error = $state('');
  #refreshing: Promise<void> | null = null;

  constructor(
    private readonly storage: ModelStorage | null,
    /** Called after anything was written or deleted, e.g. to refresh the storage figure. */
    private readonly changed: () => void = () => {},
  ) {}

  /** Whether this browser offers Cache Storage here (not in Node, nor in some private windows). */
  get available(): boolean {
    return this.storage !== null;
  }

  get bytes(): number {
    return [...this.hub, ...this.saved, ...this.other.map((o) => ({ bytes: o.size }))].reduce((sum, m) => sum + m.bytes, 0);
  }

  /** Reads both listings again; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #read(): Promise<void> {
    if (!this.storage) return void (this.ready = true);
    try {
      const [files, saved] = await Promise.all([this.storage.listHub(), this.storage.listSaved()]);
      const grouped = groupHubFiles(files);
      this.hub = grouped.models;
      this.other = grouped.other;
      this.saved = saved;
      this.error = '';
    } catch (error) {
      this.error = `Could not list the models kept in this browser: ${messageOf(error)}`;
    } finally {
      this.ready = true;
    }
  }

  /** Keeps a picked folder in the browser; throws a ModelStorageError saying what to do. */
  async save(name: string, files: readonly ModelFile[]): Promise<SavedFolder> {
    if (!this.storage) throw new Error('This browser offers no Cache Storage here (a private window?), so models cannot be kept.');
    try {
      return await this.storage.saveFolder(name, files);
    } finally {
      await this.refresh();
      this.changed();
    }
  }

  /** The files of a saved folder, as a `files` source needs them. */
  read(id: string): Promise<{ name: string; files: ModelFile[] }> {
    if (!this.storage) return Promise.reject(new Error('This browser offers no Cache Storage here, so no saved model can be read.'));
    return this.storage.readSaved(id);
  }

  async removeHub(model: CachedHubModel): Promise<void> {
    await this.#remove(() => this.storage!.deleteHub(model.files.map((f) => f.url)), `${model.id}@${model.revision}`);
  }

  async removeOther(): Promise<void> {
    await this.#remove(() => this.storage!.deleteHub(this.other.map((o) => o.url)), 'the other cached files');
  }

  async removeSaved(folder: SavedFolder): Promise<void> {
    await this.#remove(() => this.storage!.deleteSaved(folder.id), folder.name);
  }

  async #remove(work: () => Promise<void>, what: string): Promise<void> {
    if (!this.storage) return;
    try {
      await work();
      this.error = '';
    } catch (error) {
      this.error = `Could not delete ${what}: ${messageOf(error)}`;
    } finally {
      await this.refresh();
      this.changed();
    }
  }
}
