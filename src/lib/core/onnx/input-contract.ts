// The graph inputs transformers.js feeds each kind of model, and the check that an ONNX file
// declares them: a decoder exported without its KV cache loads fine but silently forgets the prompt
// after the first token, so it is refused with a message that says how to export it again.
import type { ModelTask } from '../models';

export interface InputCheck {
  task: ModelTask;
  /** The graph's input names (from the protobuf, or from a loaded session). */
  inputs: readonly string[];
  /** config.json, for the number of layers whose cache must be declared. */
  config: Record<string, unknown> | null;
  /** Where the inputs were read, for the message: e.g. `onnx/model.onnx of my-model`. */
  where: string;
}

export interface InputProblem {
  problem: 'missing-inputs';
  message: string;
}

const CACHE_PREFIX = 'past_key_values.';
const REQUIRED: Record<ModelTask, readonly string[]> = {
  'feature-extraction': ['input_ids', 'attention_mask'],
  'text-generation': ['input_ids', 'attention_mask'],
};

/** Number of decoder layers named in config.json (or its `text_config`), if any. */
function layerCount(config: Record<string, unknown> | null): number | null {
  const text = (config?.text_config ?? null) as Record<string, unknown> | null;
  for (const source of [config, text]) {
    const value = source?.num_hidden_layers ?? source?.n_layer ?? source?.num_layers;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

function listed(names: readonly string[]): string {
  return names.length ? names.join(', ') : 'none';
}

/** Returns what is missing from the graph's inputs, worded for the user, or null when nothing is. */
export function checkGraphInputs(check: InputCheck): InputProblem | null {
  const have = new Set(check.inputs);
  const missing = REQUIRED[check.task].filter((name) => !have.has(name));
  const exportHint =
    check.task === 'text-generation'
      ? 'Export it with input_ids, attention_mask and the past_key_values.N.key/value cache inputs (optimum: --task text-generation-with-past, or the recipe in recipes/).'
      : 'Export it as a feature-extraction model with input_ids and attention_mask inputs (optimum: --task feature-extraction).';
  if (missing.length) {
    return {
      problem: 'missing-inputs',
      message: `${check.where} lacks the input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that transformers.js feeds a ${check.task} model (its inputs: ${listed(check.inputs)}). ${exportHint}`,
    };
  }
  if (check.task !== 'text-generation') return null;

  // A decoder must take its KV cache as inputs, or every step after the first sees only the newest token.
  const states = check.inputs.filter((name) => name.startsWith('past_'));
  if (states.length === 0) {
    return {
      problem: 'missing-inputs',
      message: `${check.where} has no KV-cache inputs (past_key_values.0.key, past_key_values.0.value, …): it was exported without the cache, so it would forget the prompt after the first generated token. ${exportHint}`,
    };
  }
  // Only a plain per-layer cache can be counted; hybrid models (other state names) are taken as they are.
  const layers = layerCount(check.config);
  if (layers === null || states.some((name) => !name.startsWith(CACHE_PREFIX)) || check.config?.layer_types) return null;
  const absent: string[] = [];
  for (let i = 0; i < layers; i++) {
    for (const part of ['key', 'value']) if (!have.has(`${CACHE_PREFIX}${i}.${part}`)) absent.push(`${CACHE_PREFIX}${i}.${part}`);
  }
  if (absent.length === 0) return null;
  const shown = absent.length > 4 ? `${absent.slice(0, 4).join(', ')} and ${absent.length - 4} more` : absent.join(', ');
  return {
    problem: 'missing-inputs',
    message: `${check.where} declares the KV cache for fewer layers than config.json's ${layers}: ${shown} ${absent.length > 1 ? 'are' : 'is'} missing. The ONNX file and config.json do not belong together; export them again from the same model.`,
  };
}
