// The trainer's worker in real Chromium, on this instance's backend: a few LoRA steps of the demo base model
// (served from public/models/demo/base) on RAFT chats. On WebGPU (SwiftShader here, a GPU on the CPU) the
// losses must be those the WASM backend computes for the same steps: the GPU path trains the same model.
import { expect, inject, test } from 'vitest';
import { TrainerClient, type TrainParams } from '../../src/lib/clients/trainer';
import { trainChats } from '../fixtures/train-chats';
import { RECIPE_DEFAULTS } from '../../src/lib/core/train/settings';

const backend = inject('backend');
const CHATS = trainChats(2);

async function losses(device: TrainParams['device']): Promise<{ losses: number[]; device: string }> {
  const client = new TrainerClient();
  try {
    const params: TrainParams = {
      base: { kind: 'url', url: new URL('/models/demo/base/', location.href).href },
      chats: CHATS,
      settings: { ...RECIPE_DEFAULTS, rank: 4, alpha: 8, lr: 5e-3, maxSteps: 3 },
      device,
    };
    const output = await client.train(params);
    return { losses: output.record.steps.map((s) => s.loss), device: output.record.device };
  } finally {
    client.terminate();
  }
}

test(`three LoRA steps of the demo base model in the trainer's worker on ${backend}`, { timeout: 180_000 }, async () => {
  const run = await losses(backend);
  expect(run.device).toBe(backend);
  expect(run.losses).toHaveLength(3);
  expect(run.losses.every(Number.isFinite)).toBe(true);
  expect(run.losses[2]).toBeLessThan(run.losses[0]);
  if (backend === 'webgpu') {
    const cpu = await losses('wasm');
    run.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.losses[i]) / cpu.losses[i], `step ${i + 1}: ${loss} on WebGPU, ${cpu.losses[i]} on WASM`).toBeLessThan(1e-3));
  }
});
