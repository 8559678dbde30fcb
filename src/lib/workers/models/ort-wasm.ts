// The onnxruntime-web files bundled with the app, so transformers.js never fetches them from a CDN.
// NOTE: transformers.js imports `onnxruntime-web/webgpu`, whose runtime is the asyncify build.
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export const ortWasmPaths = { mjs, wasm };
