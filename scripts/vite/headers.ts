// The app's HTTP response headers, in one place: the Content-Security-Policy and cross-origin isolation (COOP/COEP)
// that `vite` (dev) and `vite preview` send with every response (the page and its workers), and the same policy as
// a <meta> in the built index.html for hosts that send no headers (public/coi-sw.js adds COOP/COEP there).
import type { Plugin } from 'vite';

/**
 * Where the app may fetch from. `'self'` and the Hub (models: huggingface.co, then its file CDNs cdn-lfs*.huggingface.co
 * and *.hf.co, Xet storage included). The user's own endpoints (remote generator, judge, URL model folders) are
 * typed at run time and no policy can name them in advance, so any https origin and http on this computer (Ollama,
 * LM Studio) are allowed as well; a plain-http server elsewhere on the network is refused.
 */
const CONNECT = ["'self'", 'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co', 'https:', 'http://localhost:*', 'http://127.0.0.1:*', 'blob:', 'data:'];

/**
 * NOTE: `'wasm-unsafe-eval'` lets onnxruntime-web and voy compile their wasm; it does not allow eval(). `blob:`:
 * transformers.js imports onnxruntime's loader (our own bundled .mjs, patched in memory) from a blob: URL in the
 * model workers. Neither lets injected markup run: inline scripts and eval stay refused.
 */
const DIRECTIVES: [string, string[]][] = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'", "'wasm-unsafe-eval'", 'blob:']],
  // Workers are same-origin module files; onnxruntime-web may start helper workers from blob: URLs.
  ['worker-src', ["'self'", 'blob:']],
  ['connect-src', CONNECT],
  // Svelte's style: directives and the charts' SVG set style attributes; the dev server injects <style> elements.
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['font-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
];

/** The policy as a header; `frame-ancestors` only works there (a <meta> policy must not carry it). */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, ['frame-ancestors', ["'none'"]] as [string, string[]]].map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');

/** The policy for the built index.html's <meta http-equiv>. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');

/**
 * Cross-origin isolation: it gives the page SharedArrayBuffer, which ONNX Runtime Web needs to run on more than one
 * thread. NOTE: `require-corp`, not `credentialless`: every fetch the app makes to another origin (the Hub's
 * huggingface.co and its cdn-lfs/xet redirects, URL folders, remote endpoints) is a CORS request, which COEP lets
 * through without a Cross-Origin-Resource-Policy header; only no-cors loads (a cross-origin <img>, script or font)
 * would need one, and the app has none (its workers, wasm and fonts are same-origin). `require-corp` also works in
 * Safari, which ignores `credentialless`. public/coi-sw.js sends the same two values. DO NOT CHANGE one without the other.
 */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Every header the dev server and `vite preview` send. */
export const APP_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  ...ISOLATION_HEADERS,
};

/**
 * Sends APP_HEADERS from `vite` and `vite preview`, and writes the policy into the built index.html.
 * NOTE: not on the dev server under Vitest: browser-mode test pages run inline scripts of their own.
 */
export function appHeaders(): Plugin {
  return {
    name: 'raft:app-headers',
    config: () => ({ preview: { headers: APP_HEADERS }, server: process.env.VITEST ? {} : { headers: APP_HEADERS } }),
    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) => (ctx.server ? html : html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`)),
    },
  };
}
