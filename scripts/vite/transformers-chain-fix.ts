// Vite plugin: transformers.js (4.3.1, web build) serialises session creation and runs through a
// promise chain; one rejected load leaves the chain rejected, so every later load in that worker
// fails with the first error. This rewrites both chains to recover after a failure (the failing
// call still rejects). Upstream behaviour; remove when fixed there.
import type { Plugin } from 'vite';

const PATCHES: [string, string][] = [
  ['webInitChain = webInitChain.then(load)', 'webInitChain = webInitChain.catch(() => {}).then(load)'],
  ['webInferenceChain = webInferenceChain.then(run)', 'webInferenceChain = webInferenceChain.catch(() => {}).then(run)'],
];

export function transformersChainFix(): Plugin {
  return {
    name: 'raft:transformers-chain-fix',
    enforce: 'pre',
    transform(code, id) {
      if (!/@huggingface[\\/]transformers[\\/]dist[\\/]transformers\.web(\.min)?\.js/.test(id)) return null;
      let patched = code;
      for (const [from, to] of PATCHES) {
        if (!patched.includes(from)) this.error(`transformers.js changed: "${from}" not found; review scripts/vite/transformers-chain-fix.ts.`);
        patched = patched.replace(from, to);
      }
      return { code: patched, map: null };
    },
  };
}
