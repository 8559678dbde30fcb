// App shell: the gzip size of what the first load fetches (index.html's entry script and CSS and
// their static imports; workers, the model runtime and wasm load lazily and are excluded), and time to
// interactive of the built app in headless Chromium (nav visible, then a frame, then main thread idle).
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import type { BenchContext } from '../context';
import { figure, single, summarize, type Figure } from '../harness';
import { launchChromium } from '../support/chromium';

const OUT_DIR = '/tmp/bench-dist';
const KB = 1000;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  // 1. A production build, as `npx vite build --outDir /tmp/bench-dist` makes it.
  ctx.log(`building into ${OUT_DIR}`);
  const buildStart = performance.now();
  await build({ root: ctx.root, logLevel: 'error', build: { outDir: OUT_DIR, emptyOutDir: true } });
  const buildMs = performance.now() - buildStart;
  const { js, css } = await firstLoadFiles(OUT_DIR);
  const size = async (files: string[]) => {
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const bytes = await readFile(join(OUT_DIR, file));
      raw += bytes.length;
      gzip += gzipSync(bytes).length;
    }
    return { raw, gzip };
  };
  const [jsSize, cssSize] = [await size(js), await size(css)];
  const lazy = (await allFiles(OUT_DIR)).filter((f) => /\.(js|mjs|css|wasm)$/.test(f) && !js.includes(f) && !css.includes(f));
  const lazySize = await size(lazy);
  const figures: Figure[] = [
    figure('production build (vite build)', 'ms', single(buildMs)),
    figure('first-load JS, gzip', 'kB', single(jsSize.gzip / KB), { note: `${js.length} file(s), ${(jsSize.raw / KB).toFixed(0)} kB raw` }),
    figure('first-load CSS, gzip', 'kB', single(cssSize.gzip / KB), { note: `${css.length} file(s), ${(cssSize.raw / KB).toFixed(0)} kB raw` }),
    figure('first-load JS + CSS, gzip', 'kB', single((jsSize.gzip + cssSize.gzip) / KB), { target: { text: '≤ 200 kB', atMost: 200 } }),
    figure('lazy assets (workers, runtime, wasm), gzip', 'kB', single(lazySize.gzip / KB), { note: `${lazy.length} files, excluded from the first load` }),
  ];
  // 2. Time to interactive, served by `vite preview` on loopback, a fresh browser context per load.
  const server = await preview({ root: ctx.root, logLevel: 'error', build: { outDir: OUT_DIR }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const probe = await readFile(join(ctx.root, 'bench/browser/tti-probe.js'), 'utf8');
  const browser = await launchChromium();
  const loads: { navVisible: number; interactive: number; firstContentfulPaint: number | null; domContentLoaded: number | null }[] = [];
  try {
    const repeats = ctx.quick ? 2 : 10;
    ctx.log(`time to interactive, ${repeats} loads`);
    for (let r = 0; r <= repeats; r++) {
      const context = await browser.newContext();
      await context.addInitScript({ content: probe });
      const page = await context.newPage();
      await page.goto(url);
      const handle = await page.waitForFunction(() => (window as unknown as { __benchTti?: unknown }).__benchTti, null, { timeout: 30_000 });
      const load = (await handle.jsonValue()) as (typeof loads)[number];
      if (r > 0) loads.push(load);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const note = 'loopback, no throttling, cold cache (new context per load)';
  figures.push(
    // NOTE: a load whose paint entry was not recorded yet when the probe ran is left out, not counted as NaN.
    figure('first contentful paint', 'ms', summarize(loads.flatMap((l) => (l.firstContentfulPaint === null ? [] : [l.firstContentfulPaint]))), {
      note: `${note}; ${loads.filter((l) => l.firstContentfulPaint !== null).length} of ${loads.length} loads had a paint entry`,
    }),
    figure('nav visible', 'ms', summarize(loads.map((l) => l.navVisible)), { note }),
    figure('time to interactive (nav visible + frame + idle)', 'ms', summarize(loads.map((l) => l.interactive))),
  );
  return figures;
}

/** The entry script and CSS named by index.html, with every chunk the entry imports statically. */
async function firstLoadFiles(dir: string): Promise<{ js: string[]; css: string[] }> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const attr = (tag: RegExp) => [...html.matchAll(tag)].map((m) => m[1].replace(/^\//, ''));
  const css = attr(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g);
  const queue = [...attr(/<script[^>]+type="module"[^>]*src="([^"]+)"/g), ...attr(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)];
  const js = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (js.has(file)) continue;
    js.add(file);
    const code = await readFile(join(dir, file), 'utf8');
    // Static imports only: `import "./x.js"`, `import {a} from "./x.js"`, `export * from "./x.js"`; not `import("./x.js")`.
    for (const m of code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) queue.push(posix.join(dirname(file), spec));
      else if (spec.startsWith('/')) queue.push(spec.slice(1));
    }
  }
  return { js: [...js], css };
}

async function allFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(join(dir, prefix))) {
    const path = posix.join(prefix, name);
    if ((await stat(join(dir, path))).isDirectory()) out.push(...(await allFiles(dir, path)));
    else out.push(path);
  }
  return out;
}
