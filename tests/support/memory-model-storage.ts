// The model manager's storage (Cache Storage in the browser) held in a Map, for state tests in Node: saved folders
// read back whole; no Hub cache.
import type { SavedFolder } from '../../src/lib/core/model-cache';
import type { ModelFile } from '../../src/lib/core/models';
import type { ModelStorage } from '../../src/lib/store/model-storage';

export function memoryModelStorage(): ModelStorage & { saved: Map<string, { folder: SavedFolder; files: ModelFile[] }> } {
  const saved = new Map<string, { folder: SavedFolder; files: ModelFile[] }>();
  return {
    saved,
    listHub: async () => [],
    deleteHub: async () => {},
    listSaved: async () => [...saved.values()].map((s) => s.folder),
    async saveFolder(name, files) {
      const folder = { id: `id-${name}`, name, savedAt: 1, files: files.map((f) => ({ path: f.path, size: f.blob.size })), bytes: files.reduce((s, f) => s + f.blob.size, 0) };
      saved.set(folder.id, { folder, files: [...files] });
      return folder;
    },
    async readSaved(id) {
      const entry = saved.get(id);
      if (!entry) throw new Error('gone');
      return { name: entry.folder.name, files: entry.files };
    },
    deleteSaved: async (id) => void saved.delete(id),
  };
}
