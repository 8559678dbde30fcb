// Real-shape models in Node (onnxruntime-node, CPU): the app's paths in this process — the llm handler
// for generation, the corpus handlers (ingest → load → index) for embeddings, as the CLI runs them —
// against transformers.js called directly, on random-weight models of the default models' exact shapes.
// Figures: load time, RSS, time to first token on a ~1,000-token RAFT prompt, tokens/s, chunks/s,
// app ÷ direct, and direct prefill at 1 thread ÷ the default (every core). Runs with `--real-shape` only.
import 'fake-indexeddb/auto';
import { cpus, loadavg } from 'node:os';
import { basename, dirname } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, BaseStreamer, env, pipeline, type FeatureExtractionPipeline, type TextStreamer } from '@huggingface/transformers';
import { readModelFolder } from '../../src/cli/model-folder';
import { CorpusClient } from '../../src/lib/clients/corpus';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { INDEX_BATCH } from '../../src/lib/config/tunables';
import type { ChatMessage } from '../../src/lib/core/generation';
import { openDatabase } from '../../src/lib/store/db';
import { createCorpusHandlers } from '../../src/lib/workers/corpus/handler';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';
import type { BenchContext } from '../context';
import { figure, single, summarize, type Figure } from '../harness';
import { raftPrompt, sampleArticles } from '../support/raft-prompt';
import { realShapeModel, SHAPES } from '../support/real-shape';

const NEW_TOKENS = 32;
const rssMB = () => process.memoryUsage().rss / 2 ** 20;

class CountingStreamer extends BaseStreamer {
  private promptSeen = false;
  tokens = 0;
  firstAt: number | null = null;
  override put(): void {
    if (!this.promptSeen) return void (this.promptSeen = true);
    this.tokens++;
    this.firstAt ??= performance.now();
  }
  override end(): void {}
}

function useLocal(folder: string): string {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(folder) + '/';
  return basename(folder);
}

async function generation(ctx: BenchContext, folder: string, repeats: number): Promise<Figure[]> {
  const { messages, tokens } = await raftPrompt(ctx.root, folder);
  const label = 'Node, smollm2-135m q8';
  const loadStart = loadavg()[0];
  // 1. Direct first (the app's configureTransformers() later rewires env), at ORT's default threads and at 1.
  const id = useLocal(folder);
  const tokenizer = await AutoTokenizer.from_pretrained(id);
  let start = performance.now();
  let rss = rssMB();
  const model = await AutoModelForCausalLM.from_pretrained(id, { dtype: 'q8', device: 'cpu' });
  const directLoad = performance.now() - start;
  const directRss = rssMB() - rss;
  const single1 = await AutoModelForCausalLM.from_pretrained(id, { dtype: 'q8', device: 'cpu', session_options: { intraOpNumThreads: 1 } });
  const direct = (m: typeof model) => async (): Promise<{ ms: number; first: number; tokens: number }> => {
    const begin = performance.now();
    const prompt = tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
    const inputs = tokenizer(prompt, { add_special_tokens: false });
    const streamer = new CountingStreamer();
    await m.generate({ ...inputs, max_new_tokens: NEW_TOKENS, do_sample: false, streamer: streamer as unknown as TextStreamer });
    const end = performance.now();
    return { ms: end - begin, first: (streamer.firstAt ?? end) - begin, tokens: streamer.tokens };
  };
  // 2. The app's llm handler over the worker protocol, in this process.
  const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
  const client = new GeneratorClient(endpoint, close);
  rss = rssMB();
  start = performance.now();
  await client.load(await readModelFolder(folder, 'q8'), { device: 'wasm', dtype: 'q8' });
  const appLoad = performance.now() - start;
  const appRss = rssMB() - rss;
  const settings = { maxNewTokens: NEW_TOKENS, temperature: 0, topP: 1, greedy: true };
  const app = async () => {
    const begin = performance.now();
    const reply = await client.generate(messages as ChatMessage[], settings);
    return { ms: performance.now() - begin, first: reply.timeToFirstTokenMs, tokens: reply.tokens };
  };
  try {
    const runs = { app: [] as Awaited<ReturnType<typeof app>>[], direct: [] as Awaited<ReturnType<typeof app>>[], one: [] as Awaited<ReturnType<typeof app>>[] };
    ctx.log(`${label}: ${tokens}-token prompt, app / direct / direct at 1 thread, ${repeats} rounds after a warm-up`);
    for (let r = 0; r <= repeats; r++) {
      const order = r % 2 === 0 ? (['app', 'direct', 'one'] as const) : (['one', 'direct', 'app'] as const);
      const done: Record<string, Awaited<ReturnType<typeof app>>> = {};
      for (const side of order) done[side] = await (side === 'app' ? app() : direct(side === 'one' ? single1 : model)());
      if (r > 0) order.forEach((side) => runs[side].push(done[side]));
    }
    const loadEnd = loadavg()[0];
    const rate = (list: typeof runs.app) => summarize(list.map((x) => ((x.tokens - 1) * 1000) / (x.ms - x.first)));
    const first = (list: typeof runs.app) => summarize(list.map((x) => x.first / 1000));
    const note = `${SHAPES['smollm2-135m']}; ${tokens}-token RAFT prompt, ${NEW_TOKENS} greedy tokens; onnxruntime-node, default threads (${cpus().length} cores); load average ${loadStart.toFixed(1)}-${loadEnd.toFixed(1)}`;
    return [
      figure(`${label}: app (llm handler) load`, 's', single(appLoad / 1000), { note }),
      figure(`${label}: direct load`, 's', single(directLoad / 1000)),
      figure(`${label}: RSS added by the app's model`, 'MB', single(appRss), { note: `direct: ${directRss.toFixed(0)} MB` }),
      figure(`${label}: app, time to first token`, 's', first(runs.app)),
      figure(`${label}: direct, time to first token`, 's', first(runs.direct)),
      figure(`${label}: app, decode rate`, 'tokens/s', rate(runs.app)),
      figure(`${label}: direct, decode rate`, 'tokens/s', rate(runs.direct)),
      figure(`${label}: app ÷ direct total time`, '×', summarize(runs.app.map((x, i) => x.ms / runs.direct[i].ms)), { target: { text: '≤ 1.05', atMost: 1.05 } }),
      figure(`${label}: direct prefill 1 thread ÷ default threads`, '×', single(first(runs.one).median / first(runs.direct).median), {
        note: `time to first token medians: ${first(runs.one).median.toFixed(2)} s at 1 thread (intraOpNumThreads 1) vs ${first(runs.direct).median.toFixed(2)} s`,
      }),
    ];
  } finally {
    client.terminate();
  }
}

async function embedding(ctx: BenchContext, folder: string, dtype: 'q8' | 'fp32', repeats: number): Promise<Figure[]> {
  const files = await sampleArticles(ctx.root, ctx.quick ? 4 : 12);
  const ingestFiles = () => files.map((f) => ({ path: f.path, blob: new Blob([f.text]) }));
  const label = `Node, minilm-l6 ${dtype}`;
  const loadStart = loadavg()[0];
  const id = useLocal(folder);
  const extractor = (await pipeline('feature-extraction', id, { dtype, device: 'cpu' })) as FeatureExtractionPipeline;
  // The app's corpus, as the CLI runs it: in-process handlers over a fresh (fake) IndexedDB.
  const { endpoint, close } = inProcessEndpoint(createCorpusHandlers({ allowHub: false }, () => openDatabase(`raft-bench-${process.pid}-${dtype}`)));
  const corpus = new CorpusClient(endpoint, close);
  try {
    await corpus.call('open', undefined);
    await corpus.call('ingest', { files: ingestFiles() });
    const start = performance.now();
    const summary = await corpus.call('loadEmbedder', { source: await readModelFolder(folder, dtype), options: { device: 'wasm', dtype } });
    const appLoad = performance.now() - start;
    const groups: string[][] = [];
    for (const article of summary.articles) {
      const texts = (await corpus.call('chunksOf', { path: article.path })).map((c) => c.text);
      for (let i = 0; i < texts.length; i += INDEX_BATCH) groups.push(texts.slice(i, i + INDEX_BATCH));
    }
    const chunks = groups.reduce((n, g) => n + g.length, 0);
    const app = async () => {
      await corpus.call('clear', undefined);
      await corpus.call('ingest', { files: ingestFiles() });
      const begin = performance.now();
      const after = await corpus.call('index', undefined).catch(async () => {
        await corpus.call('adoptEmbedder', undefined);
        return corpus.call('index', undefined);
      });
      if (after.embeddedCount !== chunks) throw new Error(`the corpus embedded ${after.embeddedCount} chunks, direct ${chunks}`);
      return performance.now() - begin;
    };
    const direct = async () => {
      const begin = performance.now();
      for (const texts of groups) await extractor(texts, { pooling: 'mean', normalize: true });
      return performance.now() - begin;
    };
    ctx.log(`${label}: ${chunks} chunks of ${files.length} sample-wiki articles, corpus and direct alternately`);
    const times = { app: [] as number[], direct: [] as number[] };
    for (let r = 0; r <= repeats; r++) {
      const [a, d] = r % 2 === 0 ? [await app(), await direct()] : [NaN, await direct()];
      const appMs = Number.isNaN(a) ? await app() : a;
      if (r > 0) (times.app.push(appMs), times.direct.push(d));
    }
    const rate = (ms: number[]) => summarize(ms.map((t) => (chunks * 1000) / t));
    const note = `${SHAPES['minilm-l6']}; ${chunks} chunks; onnxruntime-node; load average ${loadStart.toFixed(1)}-${loadavg()[0].toFixed(1)}`;
    return [
      figure(`${label}: app (corpus handlers) load`, 's', single(appLoad / 1000), { note }),
      figure(`${label}: app (corpus: index, stored in IndexedDB)`, 'chunks/s', rate(times.app)),
      figure(`${label}: direct transformers.js pipeline()`, 'chunks/s', rate(times.direct)),
      figure(`${label}: app ÷ direct time`, '×', summarize(times.app.map((t, i) => t / times.direct[i])), { target: { text: '≤ 1.10', atMost: 1.1 } }),
    ];
  } finally {
    corpus.terminate();
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const only = (process.env.RAFT_BENCH_REAL_SHAPE_ONLY ?? '').split(',').filter(Boolean);
  const wanted = (part: string) => !only.length || only.includes(part);
  const minilm = await realShapeModel(ctx.root, 'minilm-l6', ctx.log);
  if ('skip' in minilm) figures.push(figure('minilm-l6: skipped', '', single(NaN), { note: minilm.skip }));
  else if (wanted('embed')) {
    figures.push(...(await embedding(ctx, minilm.folder, 'q8', ctx.quick ? 1 : 3)));
    if (!ctx.quick) figures.push(...(await embedding(ctx, minilm.folder, 'fp32', 2)));
  }
  const small = await realShapeModel(ctx.root, 'smollm2-135m', ctx.log);
  if ('skip' in small) figures.push(figure('smollm2-135m: skipped', '', single(NaN), { note: small.skip }));
  else if (wanted('135m')) figures.push(...(await generation(ctx, small.folder, ctx.quick ? 1 : 2)));
  for (const f of figures.filter((f) => f.unit === '' && Number.isNaN(f.median))) ctx.log(`SKIPPED: ${f.note}`);
  return figures;
}
