// Typed errors shared by the app, the workers and the CLI, and their wire form across a worker boundary.
import { formatBytes } from './corpus/files';

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

/** A worker's answer arrived but could not be deserialised on this side (`messageerror`). */
export class WorkerMessageError extends Error {
  override name = 'WorkerMessageError';
}

/**
 * The browser refused a write for lack of storage quota (IndexedDB, Cache Storage). Nothing is wrong with the
 * file or data being written; the message gives this site's usage when known and the way out.
 */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(message = storageFullMessage()) {
    super(message);
  }
}

/**
 * Whether `error` is a quota refusal: a `QuotaExceededError` DOMException (also as an aborted transaction's
 * `tx.error`, or as the `cause` of another error) or a StorageFullError, on either side of a worker boundary.
 */
export function isStorageFull(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  if (name === 'QuotaExceededError' || name === 'StorageFullError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  return isStorageFull(cause, depth + 1);
}

/** What a full storage means for the user, with `estimate` (navigator.storage.estimate()) when it could be read. */
export function storageFullMessage(estimate?: { usage?: number; quota?: number }): string {
  const { usage, quota } = estimate ?? {};
  const use = usage !== undefined && quota ? ` (this site uses ${formatBytes(usage)} of the ${formatBytes(quota)} the browser allows it)` : '';
  return (
    `The browser's storage for this app is full${use}; nothing was wrong with what was being saved. Free space ` +
    `(remove articles, datasets, evaluation runs or kept models, or other sites' data in the browser's settings) ` +
    `or choose "Keep data on this device" in the status bar, then try again.`
  );
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
    case 'StorageFullError':
      error = new StorageFullError(wire.message);
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
  // NOTE: some DOMExceptions carry no message (Chromium's QuotaExceededError from IndexedDB): name them instead.
  if (isStorageFull(error) && !(error instanceof StorageFullError)) return storageFullMessage();
  return error instanceof Error ? error.message || error.name : String(error);
}

/** `prefix: reason`, except for a full storage, which is no fault of what `prefix` names and is said alone. */
export function failureMessage(prefix: string, error: unknown): string {
  return isStorageFull(error) ? messageOf(error) : `${prefix}: ${messageOf(error)}`;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}
