// Serves a model folder from disk to a benchmark page under `${MODELS_PATH}<name>/`, as a static host would.
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const MODELS_PATH = '/bench-models/';

/** Routes `${MODELS_PATH}<basename(folder)>/**` to the files of `folder`; returns the folder's URL on `origin`. */
export async function serveModelFolder(context: BrowserContext, folder: string, origin: string): Promise<string> {
  const name = basename(folder);
  await context.route(`**${MODELS_PATH}**`, async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname.slice(MODELS_PATH.length));
    const file = join(folder, path.slice(name.length + 1));
    const found = path.startsWith(`${name}/`) && !path.includes('..') && (await stat(file).catch(() => null))?.isFile();
    if (!found) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ status: 200, body: await readFile(file), contentType: 'application/octet-stream' });
  });
  return new URL(`${MODELS_PATH}${name}/`, origin).href;
}
