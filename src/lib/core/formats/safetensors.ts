// The safetensors file format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
// naming each tensor's dtype, shape and byte range, then the raw little-endian data. Float32 only: what the
// trainer writes (PEFT adapters) and reads back.

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A safetensors file holding `tensors` (float32), in the given order, with optional string metadata. */
export function writeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const { name, shape, data } of tensors) {
    if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new RangeError(`tensor ${name}: shape [${shape}] does not hold ${data.length} values`);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8); // data starts 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const { data } of tensors) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}

/** The float32 tensors of a safetensors file, by name. Throws on other dtypes or a malformed file. */
export function readSafetensors(bytes: Uint8Array): Map<string, NamedTensor> {
  if (bytes.length < 8) throw new Error('not a safetensors file: shorter than its header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new Error('not a safetensors file: its header runs past the end');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const start = 8 + headerLength;
  const out = new Map<string, NamedTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (entry.dtype !== 'F32') throw new Error(`tensor ${name} is ${entry.dtype}; only F32 is read`);
    const [from, to] = entry.data_offsets;
    const data = new Float32Array(bytes.slice(start + from, start + to).buffer);
    out.set(name, { name, shape: entry.shape, data });
  }
  return out;
}
