// The benchmark pages (bench/browser/*.html), built by Vite so they run the app's own modules, and
// served by `vite preview` on loopback. All pages are built in one go, once per `npm run bench` run
// (into the run's scratch folder, RAFT_BENCH_SCRATCH), however many cases use them.
import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

const PAGES = ['embed.html', 'persist.html', 'generate.html', 'train.html'];

/** Builds the pages once per run; returns the folder (its bench/browser/<page>.html are the pages). */
export async function buildBenchPages(root: string): Promise<string> {
  const scratch = process.env.RAFT_BENCH_SCRATCH;
  const outDir = scratch ? join(scratch, 'pages') : await mkdtemp(join(tmpdir(), 'raft-bench-pages-'));
  const stamp = join(outDir, '.built');
  if (!(await access(stamp).then(() => true, () => false))) {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true, rollupOptions: { input: PAGES.map((p) => join(root, 'bench/browser', p)) } } });
    await writeFile(stamp, '');
  }
  return outDir;
}

export async function serveBenchPage(root: string, html: string): Promise<{ url: string; server: PreviewServer }> {
  if (!PAGES.includes(html)) throw new Error(`Unknown benchmark page "${html}". Should be one of: ${PAGES.join(', ')}.`);
  const outDir = await buildBenchPages(root);
  const server = await preview({ root, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a URL');
  return { url: new URL(`bench/browser/${html}`, base).href, server };
}
