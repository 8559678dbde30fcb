// What every benchmark case receives and returns: the run's settings in, Figures out.
import type { Figure } from './harness';

export interface BenchContext {
  /** `--quick`: smaller sizes and fewer repeats, so the whole suite runs in under a minute. */
  quick: boolean;
  /** Absolute path of the embedding model folder (`--embedder`, else the tiny test embedder). */
  embedderFolder: string;
  /** Absolute path of the repository root. */
  root: string;
  /** Progress line on stderr (stdout carries only JSON). */
  log(message: string): void;
}

export type BenchCase = (ctx: BenchContext) => Promise<Figure[]>;
