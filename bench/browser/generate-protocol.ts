// Messages between the generation benchmark page and its bench-only direct transformers.js worker.
import type { ChatMessage } from '../../src/lib/core/generation';
import type { Device, Dtype } from '../../src/lib/core/models';

export type ToDirectGenerate =
  | { kind: 'load'; modelBase: string; modelId: string; device: Device; dtype: Dtype; threads?: number }
  | { kind: 'generate'; messages: ChatMessage[]; maxNewTokens: number };

export type FromDirectGenerate =
  | { kind: 'loaded' }
  | { kind: 'generated'; tokens: number; firstTokenMs: number }
  | { kind: 'error'; message: string };
