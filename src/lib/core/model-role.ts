// Whether a model's config.json describes the kind of model a role needs, decided before any ONNX
// byte is read: a chat model picked as the embedder (or an encoder picked as the language model)
// loads without complaint in transformers.js and only fails later, after the corpus was re-chunked.
// Pure: config in, verdict out; the loader applies it to every source (folders, URLs, the Hub).
import type { ModelTask } from './models';

/** What a config says the model is. `unknown`: nothing conclusive, left to the architecture check. */
export type ModelKind = 'causal-lm' | 'seq2seq' | 'classifier' | 'encoder' | 'unknown';

/** Decoder-only `model_type`s, for configs without `architectures`. */
const DECODER_TYPES = new Set([
  'llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'gemma', 'gemma2', 'phi', 'phi3', 'gpt2', 'gpt_neo',
  'gpt_neox', 'gptj', 'gpt_bigcode', 'codegen', 'opt', 'bloom', 'falcon', 'mpt', 'stablelm', 'olmo', 'olmo2', 'granite', 'cohere',
  'starcoder2', 'smollm3', 'exaone', 'helium', 'glm', 'mobilellm', 'openelm',
]);

/** Encoder `model_type`s: sentence embedders and their masked-LM bases, never text generators. */
const ENCODER_TYPES = new Set([
  'bert', 'roberta', 'xlm-roberta', 'distilbert', 'mpnet', 'albert', 'electra', 'deberta', 'deberta-v2', 'camembert', 'nomic_bert',
  'modernbert', 'jina_bert', 'new', 'mobilebert', 'squeezebert', 'clip_text_model',
]);

const KIND_WORDS: Record<Exclude<ModelKind, 'unknown'>, string> = {
  'causal-lm': 'a causal (text-generating) language model',
  seq2seq: 'a sequence-to-sequence (encoder-decoder) model',
  classifier: 'a classifier or reranker (it scores text, it does not embed it)',
  encoder: 'an encoder (a sentence embedder or masked language model)',
};

function architecturesOf(config: Record<string, unknown>): string[] {
  return Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
}

/** The kind of model `config` describes: `architectures` first (they name the head), then `model_type`. */
export function modelKind(config: Record<string, unknown>): ModelKind {
  const architectures = architecturesOf(config);
  if (architectures.some((a) => /(ForCausalLM|LMHeadModel)$/.test(a))) return 'causal-lm';
  if (architectures.some((a) => /ForConditionalGeneration$/.test(a))) return 'seq2seq';
  if (architectures.some((a) => /For(Sequence|Token)Classification$|ForQuestionAnswering$/.test(a))) return 'classifier';
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  if (ENCODER_TYPES.has(modelType)) return 'encoder';
  // NOTE: a decoder named as a bare `…Model` (no head) may be an embedder (gte-Qwen2, Qwen3-Embedding): only a
  // config that names no architecture at all is judged by its decoder `model_type`.
  if (architectures.length === 0 && DECODER_TYPES.has(modelType)) return 'causal-lm';
  return 'unknown';
}

/** The kinds each role refuses; `unknown` is always let through to the architecture check. */
const REFUSED: Record<ModelTask, ModelKind[]> = {
  'feature-extraction': ['causal-lm', 'seq2seq', 'classifier'],
  'text-generation': ['encoder', 'classifier', 'seq2seq'],
};

const NEEDS: Record<ModelTask, string> = {
  'feature-extraction': 'the embedding model must be a sentence embedder (an encoder such as BERT, MiniLM, BGE or E5, whose architectures end in "Model")',
  'text-generation': 'a language model must be a causal language model (architectures ending in "ForCausalLM", such as Llama, Qwen or SmolLM)',
};

/** Null when `config` may serve `task`; otherwise a message naming what the model is and what the role needs. */
export function checkModelRole(config: Record<string, unknown>, task: ModelTask, label: string): { problem: 'wrong-role'; message: string } | null {
  const kind = modelKind(config);
  if (!REFUSED[task].includes(kind)) return null;
  const named = architecturesOf(config)[0] ?? String(config.model_type);
  return {
    problem: 'wrong-role',
    message: `${label} is ${KIND_WORDS[kind as Exclude<ModelKind, 'unknown'>]} (${named}), but ${NEEDS[task]}. Pick a model made for this role.`,
  };
}
