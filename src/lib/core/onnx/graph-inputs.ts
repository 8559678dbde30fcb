// Reads the names of an ONNX model's graph inputs straight from its protobuf bytes, without loading
// the file: ModelProto field 7 is the graph, GraphProto field 11 its inputs (ValueInfoProto, name in
// field 1). Every other field, including the weights (initializers, field 5), is skipped by its length,
// so a multi-gigabyte file costs a few small reads through the injected `readRange`.

/** Reads `length` bytes at `offset` (fewer only at the end of the file). */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array>;

/** The bytes are not a well-formed ONNX ModelProto (corrupt, truncated, or another format). */
export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

/** Reading stopped after `maxReads` reads (e.g. slow range requests): the caller checks later instead. */
export class ReadBudgetError extends Error {
  override name = 'ReadBudgetError';
}

export interface ReadOptions {
  /** Most reads to make; unlimited by default (local files are cheap to slice). */
  maxReads?: number;
}

const MODEL_GRAPH = 7;
const GRAPH_INPUT = 11;
const VALUE_INFO_NAME = 1;
/** A ValueInfoProto is a name and a type: this is plenty. */
const VALUE_INFO_MAX = 64 * 1024;
const MIN_WINDOW = 1024;
const MAX_WINDOW = 256 * 1024;

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** A forward cursor over the file that reads small windows, growing them while reads stay sequential. */
class Cursor {
  pos = 0;
  #buffer: Uint8Array = new Uint8Array(0);
  #bufferStart = 0;
  #window = MIN_WINDOW;
  #reads = 0;

  constructor(
    private readonly read: RangeReader,
    readonly size: number,
    private readonly maxReads: number,
  ) {}

  async byte(): Promise<number> {
    if (this.pos >= this.size) throw new OnnxFormatError('the file ends in the middle of a field (truncated)');
    const at = this.pos - this.#bufferStart;
    if (at < 0 || at >= this.#buffer.length) await this.#fill(this.pos, 1);
    return this.#buffer[this.pos++ - this.#bufferStart];
  }

  async varint(): Promise<number> {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = await this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new OnnxFormatError('a length is larger than any file');
        return value;
      }
      scale *= 128;
    }
    throw new OnnxFormatError('a varint is longer than 10 bytes');
  }

  async bytes(length: number): Promise<Uint8Array> {
    if (this.pos + length > this.size) throw new OnnxFormatError('a field runs past the end of the file (truncated)');
    const at = this.pos - this.#bufferStart;
    if (at < 0 || at + length > this.#buffer.length) await this.#fill(this.pos, length);
    const start = this.pos - this.#bufferStart;
    this.pos += length;
    return this.#buffer.subarray(start, start + length);
  }

  skip(length: number, end: number): void {
    if (this.pos + length > end) throw new OnnxFormatError('a field runs past the end of its message (truncated or corrupt)');
    if (this.pos + length > this.#bufferStart + this.#buffer.length) this.#window = MIN_WINDOW; // a jump: start small again
    this.pos += length;
  }

  async #fill(offset: number, need: number): Promise<void> {
    if (++this.#reads > this.maxReads) throw new ReadBudgetError(`stopped after ${this.maxReads} reads`);
    const length = Math.min(Math.max(need, this.#window), this.size - offset);
    const chunk = await this.read(offset, length);
    if (chunk.length < Math.min(need, this.size - offset)) throw new OnnxFormatError('the file is shorter than it claims (truncated)');
    this.#buffer = chunk;
    this.#bufferStart = offset;
    this.#window = Math.min(this.#window * 2, MAX_WINDOW);
  }
}

/** Reads one field key; returns the field number and wire type, rejecting what protobuf never writes. */
async function key(cursor: Cursor): Promise<{ field: number; wire: number }> {
  const tag = await cursor.varint();
  const field = Math.floor(tag / 8);
  const wire = tag % 8;
  if (field === 0 || ![WIRE.varint, WIRE.fixed64, WIRE.bytes, WIRE.fixed32].includes(wire as 0)) {
    throw new OnnxFormatError(`byte ${cursor.pos} is not a protobuf field (field ${field}, wire type ${wire})`);
  }
  return { field, wire };
}

/** Skips the value of a field whose key was just read. */
async function skipValue(cursor: Cursor, wire: number, end: number): Promise<void> {
  if (wire === WIRE.varint) await cursor.varint();
  else if (wire === WIRE.fixed64) cursor.skip(8, end);
  else if (wire === WIRE.fixed32) cursor.skip(4, end);
  else cursor.skip(await cursor.varint(), end);
}

/** The `name` (field 1) of a ValueInfoProto held in `bytes`. */
function valueInfoName(bytes: Uint8Array): string {
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && pos < bytes.length; i++) {
      const b = bytes[pos++];
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new OnnxFormatError('a graph input is cut short (corrupt)');
  };
  while (pos < bytes.length) {
    const tag = varint();
    const wire = tag % 8;
    if (Math.floor(tag / 8) === VALUE_INFO_NAME && wire === WIRE.bytes) {
      const length = varint();
      if (pos + length > bytes.length) throw new OnnxFormatError('a graph input name is cut short (corrupt)');
      return new TextDecoder().decode(bytes.subarray(pos, pos + length));
    }
    if (wire === WIRE.varint) varint();
    else if (wire === WIRE.fixed64) pos += 8;
    else if (wire === WIRE.fixed32) pos += 4;
    else if (wire === WIRE.bytes) pos += varint();
    else throw new OnnxFormatError('a graph input is not a protobuf message (corrupt)');
  }
  return '';
}

/**
 * The names of the graph's inputs, in file order. Throws OnnxFormatError when the bytes are not an
 * ONNX model, ReadBudgetError when `maxReads` ran out first.
 */
export async function readGraphInputs(read: RangeReader, size: number, options: ReadOptions = {}): Promise<string[]> {
  const cursor = new Cursor(read, size, options.maxReads ?? Infinity);
  // 1. Find the graph among the ModelProto's top-level fields.
  while (cursor.pos < size) {
    const { field, wire } = await key(cursor);
    if (field !== MODEL_GRAPH || wire !== WIRE.bytes) {
      await skipValue(cursor, wire, size);
      continue;
    }
    const length = await cursor.varint();
    const end = cursor.pos + length;
    if (end > size) throw new OnnxFormatError('the graph runs past the end of the file (truncated)');
    // 2. Walk the graph: collect inputs, skip nodes and weights by their length.
    const inputs: string[] = [];
    while (cursor.pos < end) {
      const inner = await key(cursor);
      if (inner.field === GRAPH_INPUT && inner.wire === WIRE.bytes) {
        const infoLength = await cursor.varint();
        const head = await cursor.bytes(Math.min(infoLength, VALUE_INFO_MAX));
        const name = valueInfoName(head);
        cursor.skip(infoLength - head.length, end);
        if (name) inputs.push(name);
      } else {
        await skipValue(cursor, inner.wire, end);
      }
    }
    return inputs;
  }
  throw new OnnxFormatError('the file has no graph (is it an ONNX model?)');
}

/** A RangeReader over a Blob (a picked file): each read is a slice, never the whole file. */
export function blobRangeReader(blob: Blob): RangeReader {
  return async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
}
