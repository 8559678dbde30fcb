// Browser-test commands that run in Node: browser tests compare their results with these.
import { resolve } from 'node:path';
import type { BrowserCommand } from 'vitest/node';

/** Embeds `texts` with the tiny embedder in Node, through the same handler and loading path as the app. */
export const nodeEmbed: BrowserCommand<[model: string, texts: string[]]> = async (_context, model, texts) => {
  const { createEmbedHandlers } = await import('../../src/lib/workers/embed/handler');
  const { inProcessEndpoint } = await import('../../src/lib/clients/model-client');
  const { EmbedderClient } = await import('../../src/lib/clients/embedder');
  const { readModelFolder } = await import('../../src/cli/model-folder');
  const { endpoint, close } = inProcessEndpoint(createEmbedHandlers({ allowHub: false }));
  const embedder = new EmbedderClient(endpoint, close);
  try {
    await embedder.load(await readModelFolder(resolve(import.meta.dirname, '../models', model)), { device: 'wasm', dtype: 'fp32' });
    const { dim, vectors } = await embedder.embed(texts);
    return { dim, vectors: Array.from(vectors) };
  } finally {
    embedder.terminate();
  }
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEmbed(model: string, texts: string[]): Promise<{ dim: number; vectors: number[] }>;
  }
}
