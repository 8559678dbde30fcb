import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { transformersChainFix } from './scripts/vite/transformers-chain-fix.ts';
import { appHeaders } from './scripts/vite/headers.ts';

export default defineConfig({
  plugins: [svelte(), transformersChainFix(), appHeaders()],
  // NOTE: voy-search and transformers.js ship their own wasm; pre-bundling them breaks its loading.
  optimizeDeps: {
    exclude: ['voy-search', '@huggingface/transformers', 'onnxruntime-web'],
    // Listed so the dev server does not discover them late and reload the page mid-session.
    include: ['idb', 'markdown-it', 'yaml'],
  },
  worker: { format: 'es', plugins: () => [transformersChainFix()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
