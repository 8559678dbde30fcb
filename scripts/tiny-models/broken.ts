// Deliberately broken model folders for error-path tests, each derived from a
// working tiny model with exactly one thing wrong.

import { type ModelFolder, ONNX_PATH, jsonBytes, readJson } from './folder.ts';

/** Bytes that are not a protobuf message: 'n' (0x6e) opens a field with the invalid wire type 6. */
const NOT_ONNX = new TextEncoder().encode('not an ONNX model: deliberately corrupt bytes for error-path tests\n');

/**
 * Builds the broken folders, keyed by name under `broken/`:
 * - `missing-tokenizer`: the embedder without tokenizer.json;
 * - `corrupt-onnx`: the embedder with garbage in onnx/model.onnx;
 * - `unsupported-arch`: the random Llama with model_type `tiny-unknown-arch`;
 * - `no-kv-cache`: the random Llama exported without its KV cache (`noCacheLlama`): it loads and runs,
 *   but forgets the prompt after the first token, so the app must refuse it;
 * - `no-chat-template`: the echo model without `chat_template` (a base model): chats cannot be formatted for it.
 */
export function buildBrokenFolders(embedder: ModelFolder, llama: ModelFolder, noCacheLlama: ModelFolder, echo: ModelFolder): Record<string, ModelFolder> {
  const missingTokenizer = new Map(embedder);
  missingTokenizer.delete('tokenizer.json');

  const corruptOnnx = new Map(embedder);
  corruptOnnx.set(ONNX_PATH, NOT_ONNX);

  const unsupportedArch = new Map(llama);
  const config = { ...readJson(llama, 'config.json'), model_type: 'tiny-unknown-arch', architectures: ['TinyUnknownModel'] };
  unsupportedArch.set('config.json', jsonBytes(config));

  const noChatTemplate = new Map(echo);
  const { chat_template: _dropped, ...tokenizerConfig } = readJson(echo, 'tokenizer_config.json');
  noChatTemplate.set('tokenizer_config.json', jsonBytes(tokenizerConfig));

  return {
    'missing-tokenizer': missingTokenizer,
    'corrupt-onnx': corruptOnnx,
    'unsupported-arch': unsupportedArch,
    'no-kv-cache': noCacheLlama,
    'no-chat-template': noChatTemplate,
  };
}
