// A training step of the app's trainer (jax-js LoRA, rank 16 on all seven projections, Node WASM, one thread)
// on a random-weight model of SmolLM2-135M's exact shape: what a CPU gives where no GPU is, and whether the
// trainer's memory check lets the run start. Examples (the shortest oracle-only chats) are cut to 256 tokens: at 512 the estimate is over
// WASM's 4 GiB and the trainer refuses (the refusal is reported as the figure's note). Runs with
// `--real-shape` only; marked as a real-shape, random-weight figure.
import { loadavg } from 'node:os';
import { readModelFolder } from '../../src/cli/model-folder';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import { TrainerClient } from '../../src/lib/clients/trainer';
import { RECIPE_DEFAULTS, type TrainSettings } from '../../src/lib/core/train/settings';
import { createTrainHandlers } from '../../src/lib/workers/train/handler';
import type { BenchContext } from '../context';
import { figure, single, summarize, type Figure } from '../harness';
import { realShapeModel, SHAPES } from '../support/real-shape';
import { sampleChats } from './training';

const LENGTH = 256;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const model = await realShapeModel(ctx.root, 'smollm2-135m', ctx.log);
  if ('skip' in model) return [figure('smollm2-135m training: skipped', '', single(NaN), { note: model.skip })];
  // NOTE: one example a step, three steps: the first compiles the kernels and is left out.
  const settings: TrainSettings = { ...RECIPE_DEFAULTS, batchSize: 1, gradAccum: 1, maxSteps: ctx.quick ? 2 : 3, maxLength: LENGTH };
  // NOTE: the oracle alone (no distractors) and the shortest chats, so the answer survives the cut to 256 tokens.
  const chats = (await sampleChats(ctx, ['--distractors', '0', '--p-oracle', '1']))
    .sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length)
    .slice(0, settings.maxSteps);
  const label = `Node WASM, smollm2-135m fp32 (real shape, random weights), ${LENGTH}-token examples`;
  const { endpoint, close } = inProcessEndpoint(createTrainHandlers({ allowHub: false }));
  const client = new TrainerClient(endpoint, close);
  const load = loadavg()[0];
  ctx.log(`${label}: ${settings.maxSteps} steps`);
  try {
    const started = performance.now();
    const { record } = await client.train({ base: await readModelFolder(model.folder, 'fp32'), chats, settings, device: 'wasm' });
    const timed = record.steps.slice(1);
    const note = `${SHAPES['smollm2-135m']}; rank ${settings.rank}, one example a step; jax-js wasm, one thread; load average ${load.toFixed(1)}-${loadavg()[0].toFixed(1)}`;
    return [
      figure(`${label}: step time`, 's', summarize(timed.map((s) => s.ms / 1000)), { note }),
      figure(`${label}: training`, 'tokens/s', summarize(timed.map((s) => (s.tokens * 1000) / s.ms))),
      figure(`${label}: first step (compiling)`, 's', single(record.steps[0].ms / 1000)),
      figure(`${label}: whole run (load, compile, steps, merge)`, 's', single((performance.now() - started) / 1000)),
    ];
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    ctx.log(`SKIPPED: ${message}`);
    return [figure(`${label}: did not run`, '', single(NaN), { note: message })];
  } finally {
    client.terminate();
  }
}
