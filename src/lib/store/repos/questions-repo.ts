// Reads and writes question/answer pairs.
import type { QAPair } from '../../core/questions/types';
import type { RaftDatabase } from '../db';

export class QuestionsRepo {
  constructor(private readonly db: RaftDatabase) {}

  list(): Promise<QAPair[]> {
    return this.db.getAll('questions');
  }

  async putMany(pairs: QAPair[]): Promise<void> {
    const tx = this.db.transaction('questions', 'readwrite');
    await Promise.all([...pairs.map((p) => tx.store.put(p)), tx.done]);
  }

  async delete(ids: string[]): Promise<void> {
    const tx = this.db.transaction('questions', 'readwrite');
    await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
  }

  async clear(): Promise<void> {
    await this.db.clear('questions');
  }
}
