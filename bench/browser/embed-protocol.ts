// Messages between the embedding benchmark page and its bench-only direct transformers.js worker.
import type { Device, Dtype } from '../../src/lib/core/models';

export type ToDirect =
  | { kind: 'load'; modelBase: string; modelId: string; device: Device; dtype: Dtype; threads?: number }
  | { kind: 'embed'; texts: string[]; batchSize: number };

export type FromDirect = { kind: 'loaded' } | { kind: 'embedded'; vectors: Float32Array } | { kind: 'error'; message: string };
