// A minimal protobuf wire-format writer: just the field kinds ONNX messages need
// (varints, fixed32 floats, length-delimited bytes/strings/messages, packed repeats).

const textEncoder = new TextEncoder();

/** Protobuf wire types used by ONNX. */
const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/**
 * Encodes an unsigned or signed 64-bit integer as a varint.
 * NOTE: negative values become 10-byte two's-complement varints, as protobuf
 * requires for int64 fields (e.g. the ONNX attribute `axis = -1`).
 */
export function encodeVarint(value: number | bigint): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Uint8Array.from(bytes);
}

/** Concatenates byte chunks into one buffer. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Accumulates the fields of one protobuf message, in the order they are written. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];

  private tag(field: number, wireType: number): void {
    this.chunks.push(encodeVarint((field << 3) | wireType));
  }

  /** Writes an int32/int64/enum/bool field. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.chunks.push(encodeVarint(value));
    return this;
  }

  /** Writes a `float` field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.chunks.push(bytes);
    return this;
  }

  /** Writes a `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.chunks.push(encodeVarint(value.length), value);
    return this;
  }

  /** Writes a `string` field as UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** Writes an embedded message field. */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** Writes a packed `repeated float` field. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    return this.bytes(field, bytes);
  }

  /** Writes a packed `repeated int64` field. */
  packedInts(field: number, values: ArrayLike<number | bigint>): this {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < values.length; i++) parts.push(encodeVarint(values[i]));
    return this.bytes(field, concatBytes(parts));
  }

  /** Returns the encoded message. */
  finish(): Uint8Array {
    return concatBytes(this.chunks);
  }
}
