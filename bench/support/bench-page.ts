// A benchmark page built by Vite from bench/browser/<name>.html (so it runs the app's own modules)
// and served by `vite preview` on loopback.
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

export async function serveBenchPage(root: string, html: string, outDir: string): Promise<{ url: string; server: PreviewServer }> {
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'bench/browser', html) } } });
  const server = await preview({ root, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a URL');
  return { url: new URL(`bench/browser/${html}`, base).href, server };
}
