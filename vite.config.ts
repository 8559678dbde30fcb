import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // NOTE: voy-search and transformers.js ship their own wasm; pre-bundling them breaks its loading.
  optimizeDeps: { exclude: ['voy-search', '@huggingface/transformers', 'onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
