// Training worker entry: wiring only; the logic is in handler.ts.
import { serveRpc } from '../rpc';
import { ortWasmPaths } from '../models/ort-wasm';
import { createTrainHandlers } from './handler';
import type { TrainApi } from './protocol';

serveRpc<TrainApi>(self, createTrainHandlers({ wasmPaths: ortWasmPaths, allowHub: false }));
