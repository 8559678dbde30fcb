// Generation worker logic: chat template, streamed tokens, Stop. Free of worker wiring so Node
// tests and the CLI run it in-process.
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  StoppingCriteriaList,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { STEP_YIELD_MS } from '../../config/tunables';
import { ModelLoadError, NotReadyError } from '../../core/errors';
import { generationTimings, type ChatMessage, type StopReason } from '../../core/generation';
import { runtimeDevice } from '../../config/device';
import { describeLoaded, forgetModel, loadModel, sessionInputs } from '../models/load';
import type { LoadedModel } from '../models/protocol';
import { applyWorkerSettings, configureTransformers, type TransformersSetup } from '../models/transformers-env';
import type { Handlers } from '../rpc';
import { throttledYield } from '../yield';
import type { LlmApi } from './protocol';
import { WordStreamer } from './text-stream';

interface Loaded {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  info: LoadedModel;
}

export function createLlmHandlers(setup: TransformersSetup): Handlers<LlmApi> {
  configureTransformers(setup);
  let current: Loaded | null = null;

  function loadedOrThrow(): Loaded {
    if (!current) throw new NotReadyError('No language model is loaded yet: load one first.');
    return current;
  }

  function promptOf(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): string {
    return tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
  }

  return {
    async configure(settings) {
      applyWorkerSettings(settings);
    },

    async load({ source, options }, { signal, progress }) {
      const revision = source.kind === 'hub' ? source.revision : undefined;
      const { value, info } = await loadModel({
        source,
        options,
        task: 'text-generation',
        supports: (t) => AutoModelForCausalLM.supports(t),
        signal,
        onProgress: progress,
        create: async (id, info, progress_callback) => {
          // 1. The tokenizer first: a model without a chat template is refused before its weights are read.
          const tokenizer = await AutoTokenizer.from_pretrained(id, { revision, progress_callback });
          if (!tokenizer.chat_template) {
            throw new ModelLoadError(
              `${info.label} has no chat_template in tokenizer_config.json, so chats cannot be formatted for it. Pick a chat (instruction-tuned) model, or add its template to tokenizer_config.json.`,
              'missing-file',
            );
          }
          // 2. Then the model.
          const model = await AutoModelForCausalLM.from_pretrained(id, { revision, device: runtimeDevice(info.device.device), dtype: info.dtype, progress_callback });
          // Decoding steps yield (at most every STEP_YIELD_MS), so a Stop sent meanwhile is seen within a few ms.
          const forward = model.forward.bind(model);
          const yieldSometimes = throttledYield(STEP_YIELD_MS);
          model.forward = async (inputs: unknown) => {
            await yieldSometimes();
            return forward(inputs);
          };
          return { tokenizer, model };
        },
        inputNames: (value) => sessionInputs(value.model),
        dispose: (value) => value.model.dispose(),
      });
      const model: LoadedModel = describeLoaded(info);
      // One language model per worker, swapped only now that the new one passed every check: a failed
      // load leaves the previous model loaded and answering.
      const previous = current;
      current = { ...value, info: model };
      if (previous && previous.info.key !== model.key) {
        forgetModel(previous.info.key);
        await previous.model.dispose();
      }
      return model;
    },

    async applyTemplate({ messages }) {
      return promptOf(loadedOrThrow().tokenizer, messages);
    },

    async generate({ messages, settings }, { signal, progress }) {
      const { tokenizer, model } = loadedOrThrow();
      // Timed from the request, so time to first token includes formatting and tokenizing the prompt.
      const start = performance.now();
      // 1. Format the chat exactly as the model was trained on.
      const inputs = tokenizer(promptOf(tokenizer, messages), { add_special_tokens: false });
      // 2. Stop: the cancel message from the client interrupts at the next step.
      const stopper = new InterruptableStoppingCriteria();
      const onAbort = () => stopper.interrupt();
      signal.addEventListener('abort', onAbort);
      const criteria = new StoppingCriteriaList();
      criteria.push(stopper);
      // 3. Stream: every new token is posted as it is decoded.
      let firstTokenAt: number | null = null;
      let tokens = 0;
      let text = '';
      const streamer = new WordStreamer(
        tokenizer,
        () => {
          tokens++;
          firstTokenAt ??= performance.now();
        },
        (piece) => {
          text += piece;
          progress({ text: piece, tokens });
        },
      );
      try {
        await model.generate({
          ...inputs,
          max_new_tokens: settings.maxNewTokens,
          do_sample: !settings.greedy,
          temperature: settings.greedy ? undefined : settings.temperature,
          top_p: settings.greedy ? undefined : settings.topP,
          streamer: streamer.forGenerate,
          stopping_criteria: criteria,
        });
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      const end = performance.now();
      const stoppedBy: StopReason = stopper.interrupted ? 'user' : tokens >= settings.maxNewTokens ? 'max-tokens' : 'eos';
      return { text, tokens, stoppedBy, ...generationTimings(start, firstTokenAt, end, tokens) };
    },
  };
}
