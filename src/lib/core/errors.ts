// Typed errors shared by the app, the workers and the CLI, and their wire form across a worker boundary.

/** What went wrong while loading a model; the UI words its advice from this. */
export type ModelLoadProblem =
  | 'missing-file'
  | 'corrupt-onnx'
  | 'unsupported-architecture'
  /** The model is the wrong kind for its role (e.g. a chat model picked as the embedder). */
  | 'wrong-role'
  /** The ONNX graph lacks inputs transformers.js feeds (e.g. a decoder exported without its KV cache). */
  | 'missing-inputs'
  /** The model cannot be held by the device it would run on. */
  | 'too-large'
  /** Memory ran out while loading. */
  | 'out-of-memory'
  | 'network'
  | 'hub-disabled'
  | 'invalid-source'
  | 'unsupported-device'
  | 'unknown';

/** A model could not be loaded; the message names the problem and what to do. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    message: string,
    readonly problem: ModelLoadProblem = 'unknown',
  ) {
    super(message);
  }
}

/** The user cancelled the work (a load, a generation, an indexing run). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

/** A request reached a worker or service that cannot serve it in its current state. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

/** A worker died (often out of memory) with calls in flight; it holds nothing now, and the next load needs a fresh one. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** Plain-object form of an error, as it crosses `postMessage`. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  problem?: ModelLoadProblem;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
    if (error instanceof ModelLoadError) out.problem = error.problem;
    return out;
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds the typed error on the receiving side so `instanceof` checks work there too. */
export function deserializeError(wire: SerializedError): Error {
  let error: Error;
  switch (wire.name) {
    case 'ModelLoadError':
      error = new ModelLoadError(wire.message, wire.problem ?? 'unknown');
      break;
    case 'CancelledError':
      error = new CancelledError(wire.message);
      break;
    case 'NotReadyError':
      error = new NotReadyError(wire.message);
      break;
    case 'WorkerCrashedError':
      error = new WorkerCrashedError(wire.message);
      break;
    default:
      error = new Error(wire.message);
      error.name = wire.name;
  }
  if (wire.stack) error.stack = wire.stack;
  return error;
}

/** The human-readable text of anything thrown: an Error's message, or the value as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}
