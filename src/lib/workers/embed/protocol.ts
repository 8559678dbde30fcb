// The embedding worker's API: load a sentence-embedding model, embed texts into unit vectors.
import type { LoadMethod, SettingsMethod } from '../models/protocol';

export interface EmbedResult {
  dim: number;
  /** `texts.length × dim` values, row-major, each row L2-normalised; its buffer is transferred. */
  vectors: Float32Array;
}

export type EmbedApi = {
  configure: SettingsMethod;
  load: LoadMethod;
  embed: { params: { texts: string[]; batchSize?: number }; result: EmbedResult; progress: { done: number; total: number } };
  countTokens: { params: { texts: string[] }; result: number[]; progress: never };
};
