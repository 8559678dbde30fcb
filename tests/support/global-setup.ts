// Before any test: the tiny models must have been generated (`npm test` generates them first).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const MODELS_DIR = resolve(import.meta.dirname, '../models');

export default function setup() {
  if (!existsSync(resolve(MODELS_DIR, 'tiny/embedder/config.json'))) {
    throw new Error(`Tiny test models are missing in ${MODELS_DIR}: run "npm run tiny-models" (npm test does this itself).`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    backend: 'wasm' | 'webgpu';
  }
}
