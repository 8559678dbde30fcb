// The only host APIs core may use, declared for core's own tsconfig (src/lib/core/tsconfig.json, which
// has no DOM, WebWorker or Node types). Each exists alike in browsers, workers and Node 20, so core runs
// in all three; anything else (document, IndexedDB, caches, fs) makes `npm run lint` fail.
// NOTE: these are subsets of the DOM/Node declarations: the app's tsconfig excludes this file and uses
// the full ones. Add a member here only when core needs it and every host has it.

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A file's bytes, read in slices (a picked file in the browser, a file read from disk in Node). */
interface Blob {
  readonly size: number;
  slice(start?: number, end?: number): Blob;
  arrayBuffer(): Promise<ArrayBuffer>;
}

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder };

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { new (): TextEncoder };

declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function structuredClone<T>(value: T): T;

declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  var Memory: { new (descriptor: { initial: number; maximum?: number }): Memory };
  interface Module {}
  var Module: { new (bytes: BufferSource): Module };
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  var Instance: { new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance };
  function validate(bytes: BufferSource): boolean;
  type BufferSource = ArrayBufferView | ArrayBuffer;
}
