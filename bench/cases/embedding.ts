// Embedding in Node: chunks/s through the app's pipeline (EmbedderClient → in-process endpoint →
// embed handler → EmbedService: the protocol the browser worker speaks) against a direct
// transformers.js feature-extraction pipeline on the same model, same texts, same batches of 16.
import { basename, dirname } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { EmbedderClient } from '../../src/lib/clients/embedder';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { createEmbedHandlers } from '../../src/lib/workers/embed/handler';
import type { BenchContext } from '../context';
import { compare, figure, rate, type Figure } from '../harness';
import { chunkTexts } from '../support/corpus';
import { appModel, dtypeOf } from '../support/models';

/** EmbedService's default batch size. */
const BATCH = 16;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.quick ? 32 : 256;
  const texts = chunkTexts(count, 150);
  const dtype = await dtypeOf(ctx.embedderFolder);
  // 1. Direct first: the app's configureTransformers() later rewires env (custom cache, no local paths).
  ctx.log(`loading ${basename(ctx.embedderFolder)} (${dtype}) directly`);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(ctx.embedderFolder) + '/';
  const extractor = (await pipeline('feature-extraction', basename(ctx.embedderFolder), { dtype, device: 'cpu' })) as FeatureExtractionPipeline;
  const direct = async () => {
    const outputs: unknown[] = [];
    for (let start = 0; start < texts.length; start += BATCH) {
      const output = await extractor(texts.slice(start, start + BATCH), { pooling: 'mean', normalize: true });
      outputs.push(output.data);
    }
    return outputs;
  };
  // 2. The app's pipeline over the same worker protocol, in this process.
  ctx.log('loading it through the app');
  const { endpoint, close } = inProcessEndpoint(createEmbedHandlers({ allowHub: false }));
  const client = new EmbedderClient(endpoint, close);
  const { source, options } = await appModel(ctx.embedderFolder);
  await client.load(source, options);
  try {
    ctx.log(`embedding ${count} chunks, app and direct alternately`);
    const { a: app, b: bare, ratio } = await compare(() => client.embed(texts), direct, { warmup: 1, repeats: ctx.quick ? 2 : 7 });
    const note = `${count} chunks of ~150 words, batches of ${BATCH}, ${dtype}, onnxruntime-node CPU`;
    return [
      figure('Node: app pipeline (EmbedderClient over inProcessEndpoint)', 'chunks/s', rate(app, count), { note }),
      figure('Node: direct transformers.js pipeline()', 'chunks/s', rate(bare, count)),
      figure('Node: app ÷ direct time', '×', ratio, { target: { text: '≤ 1.10', atMost: 1.1 } }),
    ];
  } finally {
    client.terminate();
  }
}
