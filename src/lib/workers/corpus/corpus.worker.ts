// Corpus worker entry: wiring only; the logic is in handler.ts.
// NOTE: the handler is imported dynamically because voy's wasm import suspends module evaluation;
// registering the message listener first means no early request is lost.
import { serveRpc } from '../rpc';
import type { CorpusApi } from './protocol';

serveRpc<CorpusApi>(
  self,
  Promise.all([import('./handler'), import('../models/ort-wasm'), import('../../store/db')]).then(([{ createCorpusHandlers }, { ortWasmPaths }, { openDatabase }]) =>
    createCorpusHandlers({ wasmPaths: ortWasmPaths, allowHub: true }, (hooks) => openDatabase(undefined, hooks)),
  ),
);
