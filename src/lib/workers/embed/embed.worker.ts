// Embedding worker entry: wiring only; the logic is in handler.ts.
import { serveRpc } from '../rpc';
import { ortWasmPaths } from '../models/ort-wasm';
import { createEmbedHandlers } from './handler';
import type { EmbedApi } from './protocol';

serveRpc<EmbedApi>(self, createEmbedHandlers({ wasmPaths: ortWasmPaths, allowHub: true }));
