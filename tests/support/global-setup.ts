// Before any test: Chromium must exist and the tiny models must have been generated
// (`npm test` generates them first); each missing piece gets a message saying what to run.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertChromium } from './chromium';

export const MODELS_DIR = resolve(import.meta.dirname, '../models');

export default function setup() {
  assertChromium();
  if (!existsSync(resolve(MODELS_DIR, 'tiny/embedder/config.json'))) {
    throw new Error(`Tiny test models are missing in ${MODELS_DIR}: run "npm run tiny-models" (npm test does this itself).`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    backend: 'wasm' | 'webgpu';
  }
}
