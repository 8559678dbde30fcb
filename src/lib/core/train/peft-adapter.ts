// LoRA adapters in PEFT's on-disk layout (adapter_model.safetensors + adapter_config.json), so what the app
// trains loads in Python with `PeftModel.from_pretrained`, and the recipe can start from the app's adapters.
// PEFT keeps lora_A as [r, in] and lora_B as [out, r]; the trainer keeps them as [in, r] and [r, out].
import { writeSafetensors, type NamedTensor } from '../formats/safetensors';
import type { Projection } from './decoder-weights';
import type { TrainSettings } from './settings';

/** One adapter in the trainer's orientation: a is [in, r], b is [r, out], row-major. */
export type HostAdapter = { a: Float32Array; b: Float32Array; inDim: number; outDim: number };
/** Per layer, the adapters of the targeted projections. */
export type HostAdapters = { [P in Projection]?: HostAdapter }[];

const MLP = new Set<Projection>(['gate_proj', 'up_proj', 'down_proj']);

/** PEFT's key for a projection's adapter matrix in a causal LM. */
export function peftKey(layer: number, projection: Projection, matrix: 'A' | 'B'): string {
  return `base_model.model.model.layers.${layer}.${MLP.has(projection) ? 'mlp' : 'self_attn'}.${projection}.lora_${matrix}.weight`;
}

/** The transpose of a row-major [rows, cols] matrix. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** adapter_model.safetensors for `adapters`. */
export function peftAdapterWeights(adapters: HostAdapters, rank: number): Uint8Array {
  const tensors: NamedTensor[] = [];
  adapters.forEach((layer, i) => {
    for (const [projection, { a, b, inDim, outDim }] of Object.entries(layer) as [Projection, HostAdapter][]) {
      tensors.push({ name: peftKey(i, projection, 'A'), shape: [rank, inDim], data: transpose(a, inDim, rank) });
      tensors.push({ name: peftKey(i, projection, 'B'), shape: [outDim, rank], data: transpose(b, rank, outDim) });
    }
  });
  return writeSafetensors(tensors, { format: 'pt' });
}

/** adapter_config.json for adapters trained with `settings` on the model named `baseModel`. */
export function peftAdapterConfig(settings: Pick<TrainSettings, 'rank' | 'alpha' | 'targets'>, baseModel: string): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    r: settings.rank,
    lora_alpha: settings.alpha,
    lora_dropout: 0,
    target_modules: [...settings.targets],
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    use_rslora: false,
    use_dora: false,
  };
}
