// Generation worker entry: wiring only; the logic is in handler.ts.
import { serveRpc } from '../rpc';
import { ortWasmPaths } from '../models/ort-wasm';
import { createLlmHandlers } from './handler';
import type { LlmApi } from './protocol';

serveRpc<LlmApi>(self, createLlmHandlers({ wasmPaths: ortWasmPaths, allowHub: true }));
