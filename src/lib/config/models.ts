// The default models the Models page offers, and the dtype each backend runs best.
import type { Device, Dtype, ModelSource } from '../core/models';

/** The embedding model, and the two language models the arena and the evaluation compare. */
export type ModelRole = 'embedder' | 'base' | 'tuned';

/** The roles that hold a language model. */
export type LanguageModelRole = Exclude<ModelRole, 'embedder'>;
export const LANGUAGE_MODEL_ROLES: readonly LanguageModelRole[] = ['base', 'tuned'];

export interface ModelDefaults {
  /** Card heading. */
  title: string;
  /** The model named inside a sentence ("Load the base model first"). */
  name: string;
  /** Hugging Face Hub id suggested in the form (empty: none to suggest). */
  hubId: string;
  /** The source the form starts on. */
  source: ModelSource['kind'];
  /** Dtype for a backend, used until the user picks one. */
  dtype: (device: Device) => Dtype;
}

export const MODEL_DEFAULTS: Record<ModelRole, ModelDefaults> = {
  embedder: {
    title: 'Embedding model',
    name: 'embedding model',
    hubId: 'Xenova/all-MiniLM-L6-v2',
    source: 'hub',
    dtype: () => 'q8',
  },
  base: {
    title: 'Base model',
    name: 'base model',
    hubId: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    source: 'hub',
    // NOTE: q4f16 needs shader-f16 support on WebGPU; the WASM backend runs q8 fastest.
    dtype: (device) => (device === 'webgpu' ? 'q4f16' : 'q8'),
  },
  tuned: {
    title: 'Fine-tuned (RAFT) model',
    name: 'fine-tuned (RAFT) model',
    // NOTE: no public RAFT model of the sample wiki exists: users load the folder the recipe wrote.
    hubId: '',
    source: 'files',
    dtype: (device) => (device === 'webgpu' ? 'q4f16' : 'q8'),
  },
};
