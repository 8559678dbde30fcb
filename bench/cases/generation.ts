// Generation in Node: time to first token and tokens/s through the app's pipeline (GeneratorClient →
// in-process endpoint → LLM handler: chat template, WordStreamer, Stop support) against a direct
// transformers.js model.generate on the same tiny Llama, 64 new tokens, greedy. The tiny model takes
// a fraction of a millisecond per token, so the app's fixed cost per token is also given, with the
// ratio it implies for a real model.
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, BaseStreamer, env, TextStreamer } from '@huggingface/transformers';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { generationTimings, type ChatMessage, type GenerationSettings } from '../../src/lib/core/generation';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';
import type { BenchContext } from '../context';
import { compare, figure, summarize, type Figure } from '../harness';
import { appModel } from '../support/models';

const MODEL = 'tiny/llama';
const NEW_TOKENS = 64;
/** A real small model's time per token on WASM (tens of ms), for the projected ratio. */
const REAL_MODEL_MS = 30;
const SETTINGS: GenerationSettings = { maxNewTokens: NEW_TOKENS, temperature: 0, topP: 1, greedy: true };
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer the question using the documents.' },
  { role: 'user', content: '<DOCUMENT>Refunds are processed within 5 business days of the request.</DOCUMENT>\nHow long does a refund take?' },
];

interface Timing {
  tokens: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

/** Counts new tokens (the first put is the prompt) and notes when the first one arrived. */
class TimingStreamer extends BaseStreamer {
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

export async function run(ctx: BenchContext): Promise<Figure[]> {
  // 1. Direct first: the app's configureTransformers() later rewires env.
  ctx.log(`loading ${MODEL} directly`);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = join(ctx.root, 'tests/models') + '/';
  const tokenizer = await AutoTokenizer.from_pretrained(MODEL);
  const model = await AutoModelForCausalLM.from_pretrained(MODEL, { dtype: 'fp32', device: 'cpu' });
  const runs = { app: [] as Timing[], direct: [] as Timing[], decoded: [] as Timing[] };
  /** Plain generate; with `decode`, a TextStreamer also decodes each token to text, as any streaming UI must. */
  const directWith = (decode: boolean, into: Timing[]) => async () => {
    const start = performance.now();
    const prompt = tokenizer.apply_chat_template(MESSAGES, { tokenize: false, add_generation_prompt: true }) as string;
    const inputs = tokenizer(prompt, { add_special_tokens: false });
    const timing = new TimingStreamer();
    let text = '';
    const streamer = decode
      ? new TextStreamer(tokenizer, { skip_prompt: true, skip_special_tokens: true, token_callback_function: () => timing.put(), callback_function: (piece: string) => (text += piece) })
      : // NOTE: the typings ask for a TextStreamer; generate only calls put() and end().
        (timing as unknown as TextStreamer);
    if (decode) timing.put();
    await model.generate({ ...inputs, max_new_tokens: NEW_TOKENS, do_sample: false, streamer });
    into.push({ tokens: timing.tokens, ...generationTimings(start, timing.firstAt, performance.now(), timing.tokens) });
    return text;
  };
  const direct = directWith(false, runs.direct);
  const decoded = directWith(true, runs.decoded);
  // 2. The app's pipeline over the same worker protocol, in this process.
  ctx.log('loading it through the app');
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const client = new GeneratorClient(endpoint, close);
  const { source, options } = await appModel(join(ctx.root, 'tests/models', MODEL));
  await client.load(source, options);
  // NOTE: the app streams words, not tokens, so its time to first token is the handler's own figure.
  const app = async () => {
    const start = performance.now();
    const result = await client.generate(MESSAGES, SETTINGS);
    const end = performance.now();
    runs.app.push({ tokens: result.tokens, ...generationTimings(start, start + result.timeToFirstTokenMs, end, result.tokens) });
  };
  try {
    ctx.log(`generating ${NEW_TOKENS} tokens: app, direct, direct + TextStreamer, in alternating pairs`);
    const options = { warmup: 1, repeats: ctx.quick ? 5 : 30 };
    const { ratio, samples } = await compare(app, direct, options);
    const { ratio: decodeRatio } = await compare(decoded, direct, options);
    const { ratio: streamingRatio } = await compare(app, decoded, options);
    // Drop the warm-up runs (the direct side ran two series; the app's third series only gives a ratio).
    const appTimed = runs.app.slice(1, 1 + options.repeats);
    const directTimed = [...runs.direct.slice(1, 1 + options.repeats), ...runs.direct.slice(2 + options.repeats)];
    const tokens = `${appTimed[0].tokens} new tokens (app), ${directTimed[0].tokens} (direct); totals caller-side, first token where it is generated`;
    const overheadUs = samples.a.map((t, i) => ((t - samples.b[i]) * 1000) / NEW_TOKENS);
    const overhead = summarize(overheadUs);
    const projected = summarize(overheadUs.map((us) => 1 + us / 1000 / REAL_MODEL_MS));
    return [
      figure('app: time to first token', 'ms', summarize(appTimed.map((r) => r.timeToFirstTokenMs)), { note: tokens }),
      figure('direct: time to first token', 'ms', summarize(directTimed.map((r) => r.timeToFirstTokenMs))),
      figure('app: decode rate', 'tokens/s', summarize(appTimed.map((r) => r.tokensPerSecond))),
      figure('direct: decode rate', 'tokens/s', summarize(directTimed.map((r) => r.tokensPerSecond))),
      figure('app ÷ direct total time', '×', ratio, { target: { text: '≤ 1.05', atMost: 1.05 } }),
      figure('app overhead per new token', 'µs', overhead, {
        note: 'fixed cost per token (yields, streaming decode, messages): the ratio shrinks as the model’s own time per token grows',
      }),
      figure(`app ÷ direct, projected for a model at ${REAL_MODEL_MS} ms/token`, '×', projected, {
        target: { text: '≤ 1.05', atMost: 1.05 },
        note: `derived: 1 + overhead per token ÷ ${REAL_MODEL_MS} ms (a ~0.5B model on WASM); not a measurement of such a model`,
      }),
      figure('direct + TextStreamer ÷ direct total time', '×', decodeRatio, { note: 'what decoding each token to text costs a plain streaming loop' }),
      figure('app ÷ (direct + TextStreamer) total time', '×', streamingRatio, { note: 'against the baseline a streaming UI would write with transformers.js' }),
    ];
  } finally {
    client.terminate();
  }
}
