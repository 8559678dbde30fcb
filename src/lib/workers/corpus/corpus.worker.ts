// Corpus worker entry: wiring only; the logic is in handler.ts.
import { openDatabase } from '../../store/db';
import { ortWasmPaths } from '../models/ort-wasm';
import { serveRpc } from '../rpc';
import { createCorpusHandlers } from './handler';
import type { CorpusApi } from './protocol';

serveRpc<CorpusApi>(self, createCorpusHandlers({ wasmPaths: ortWasmPaths, allowHub: true }, () => openDatabase()));
