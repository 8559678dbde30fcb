// A static file server on loopback for the benchmark pages and the model folders they load, in the
// bench's own process: files are streamed from disk (no DevTools pipe, so a 500 MB model is fine), and
// every response carries COOP/COEP/CORP, so the page is cross-origin isolated and ORT Web may use threads.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Serves each `mounts` prefix (e.g. `/bench-models/`) from its folder; returns the origin and a close(). */
export async function serveStatic(mounts: Record<string, string>): Promise<{ origin: string; close: () => Promise<void>; server: Server }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const relative = prefix ? normalize(path.slice(prefix.length)) : '';
    const file = prefix && !relative.split(sep).includes('..') ? join(mounts[prefix], relative) : null;
    const info = file ? await stat(file).catch(() => null) : null;
    if (!file || !info?.isFile()) {
      response.writeHead(404, ISOLATION_HEADERS).end();
      return;
    }
    response.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server, close: () => new Promise((done) => server.close(() => done())) };
}
