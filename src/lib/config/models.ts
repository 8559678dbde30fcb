// The default models the Models page offers, and the dtype each backend runs best.
import type { Device, Dtype } from '../core/models';

export type ModelRole = 'embedder' | 'generator';

export interface ModelDefaults {
  /** Card heading. */
  title: string;
  /** Hugging Face Hub id suggested in the form. */
  hubId: string;
  /** Dtype for a backend, used until the user picks one. */
  dtype: (device: Device) => Dtype;
}

export const MODEL_DEFAULTS: Record<ModelRole, ModelDefaults> = {
  embedder: {
    title: 'Embedding model',
    hubId: 'Xenova/all-MiniLM-L6-v2',
    dtype: () => 'q8',
  },
  generator: {
    title: 'Language model',
    hubId: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    // NOTE: q4f16 needs shader-f16 support on WebGPU; the WASM backend runs q8 fastest.
    dtype: (device) => (device === 'webgpu' ? 'q4f16' : 'q8'),
  },
};
