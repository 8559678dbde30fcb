// Bench-only worker: the same causal LM called directly through transformers.js' generate, with a
// streamer that only counts tokens — the baseline for the app's generation worker.
import { AutoModelForCausalLM, AutoTokenizer, BaseStreamer, env, type PreTrainedModel, type PreTrainedTokenizer, type TextStreamer } from '@huggingface/transformers';
import { ortWasmPaths } from '../../src/lib/workers/models/ort-wasm';
import type { FromDirectGenerate, ToDirectGenerate } from './generate-protocol';

let loaded: { tokenizer: PreTrainedTokenizer; model: PreTrainedModel } | null = null;
const reply = (message: FromDirectGenerate) => (self as unknown as Worker).postMessage(message);

class CountingStreamer extends BaseStreamer {
  private promptSeen = false;
  tokens = 0;
  firstAt: number | null = null;
  override put(): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    this.tokens++;
    this.firstAt ??= performance.now();
  }
  override end(): void {}
}

self.onmessage = async (event: MessageEvent<ToDirectGenerate>) => {
  const message = event.data;
  try {
    if (message.kind === 'load') {
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.useBrowserCache = false;
      env.localModelPath = message.modelBase;
      const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
      if (onnx.wasm) onnx.wasm.wasmPaths = { ...ortWasmPaths };
      // The same thread count the app's worker is configured with (threads need a cross-origin isolated page).
      if (onnx.wasm && message.threads) onnx.wasm.numThreads = message.threads;
      const [tokenizer, model] = await Promise.all([
        AutoTokenizer.from_pretrained(message.modelId),
        AutoModelForCausalLM.from_pretrained(message.modelId, { device: message.device, dtype: message.dtype }),
      ]);
      loaded = { tokenizer, model };
      reply({ kind: 'loaded' });
    } else {
      if (!loaded) throw new Error('load first');
      const { tokenizer, model } = loaded;
      const start = performance.now();
      const prompt = tokenizer.apply_chat_template(message.messages, { tokenize: false, add_generation_prompt: true }) as string;
      const inputs = tokenizer(prompt, { add_special_tokens: false });
      const streamer = new CountingStreamer();
      await model.generate({ ...inputs, max_new_tokens: message.maxNewTokens, do_sample: false, streamer: streamer as unknown as TextStreamer });
      reply({ kind: 'generated', tokens: streamer.tokens, firstTokenMs: (streamer.firstAt ?? performance.now()) - start });
    }
  } catch (error) {
    reply({ kind: 'error', message: (error as Error).message });
  }
};
