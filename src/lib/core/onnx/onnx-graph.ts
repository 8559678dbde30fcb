// Reads an ONNX model's weights (initializers) and the nodes that use them from its protobuf bytes, so the
// in-browser trainer can start from exactly the weights the app generates with. Only what that needs is
// decoded: ModelProto.graph (7) → GraphProto.node (1) and .initializer (5); NodeProto input (1), output (2),
// name (3), op_type (4); TensorProto dims (1), data_type (2), float_data (4), name (8), raw_data (9),
// data_location (14). Weights stored in external files (models over 2 GB) are refused with a clear message.
import { OnnxFormatError } from './graph-inputs';

/** ONNX TensorProto.DataType values this reader turns into numbers. */
export const ONNX_DTYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, float16: 10 } as const;

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** ONNX TensorProto.DataType (1 float32, 10 float16, 2 uint8, 3 int8, ...). */
  dataType: number;
  /** The little-endian bytes of the values (a view into the file). */
  bytes: Uint8Array;
}

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxGraph {
  initializers: Map<string, OnnxTensor>;
  nodes: OnnxNode[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** A reader over one protobuf message held in memory. */
class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxFormatError('a number is cut short (truncated file)');
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new OnnxFormatError('a varint is longer than 10 bytes (corrupt file)');
  }

  /** The next field's number and wire type, or null at the end of the message. */
  key(): { field: number; wire: number } | null {
    if (this.pos >= this.end) return null;
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wire: tag % 8 };
  }

  sub(): Reader {
    const length = this.varint();
    if (this.pos + length > this.end) throw new OnnxFormatError('a field runs past the end of its message (truncated file)');
    const reader = new Reader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return reader;
  }

  string(): string {
    const sub = this.sub();
    return new TextDecoder().decode(sub.bytes.subarray(sub.pos, sub.end));
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.pos += 8;
    else if (wire === WIRE_FIXED32) this.pos += 4;
    else if (wire === WIRE_BYTES) this.sub();
    else throw new OnnxFormatError(`wire type ${wire} is not protobuf (corrupt file)`);
  }
}

function readNode(reader: Reader): OnnxNode {
  const node: OnnxNode = { name: '', opType: '', inputs: [], outputs: [] };
  for (let key = reader.key(); key; key = reader.key()) {
    if (key.wire !== WIRE_BYTES || key.field > 4) reader.skip(key.wire);
    else if (key.field === 1) node.inputs.push(reader.string());
    else if (key.field === 2) node.outputs.push(reader.string());
    else if (key.field === 3) node.name = reader.string();
    else node.opType = reader.string();
  }
  return node;
}

function readTensor(reader: Reader): OnnxTensor {
  const tensor: OnnxTensor = { name: '', dims: [], dataType: 0, bytes: new Uint8Array(0) };
  let external = false;
  let floats: Uint8Array | null = null;
  for (let key = reader.key(); key; key = reader.key()) {
    if (key.field === 1 && key.wire === WIRE_VARINT) tensor.dims.push(reader.varint());
    else if (key.field === 1 && key.wire === WIRE_BYTES) {
      const packed = reader.sub();
      while (packed.pos < packed.end) tensor.dims.push(packed.varint());
    } else if (key.field === 2 && key.wire === WIRE_VARINT) tensor.dataType = reader.varint();
    else if (key.field === 4 && key.wire === WIRE_BYTES) {
      const packed = reader.sub();
      floats = packed.bytes.subarray(packed.pos, packed.end);
    } else if (key.field === 8 && key.wire === WIRE_BYTES) tensor.name = reader.string();
    else if (key.field === 9 && key.wire === WIRE_BYTES) {
      const raw = reader.sub();
      tensor.bytes = raw.bytes.subarray(raw.pos, raw.end);
    } else if (key.field === 14 && key.wire === WIRE_VARINT) external = reader.varint() === 1;
    else reader.skip(key.wire);
  }
  if (external) throw new OnnxFormatError(`weight ${tensor.name} is stored in an external data file, which the trainer does not read yet`);
  if (floats && tensor.bytes.length === 0) tensor.bytes = floats;
  return tensor;
}

/** The graph's initializers (by name) and nodes (in file order). Throws OnnxFormatError on bytes that are not ONNX. */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  const model = new Reader(bytes);
  for (let key = model.key(); key; key = model.key()) {
    if (key.field !== 7 || key.wire !== WIRE_BYTES) {
      model.skip(key.wire);
      continue;
    }
    const graph = model.sub();
    const out: OnnxGraph = { initializers: new Map(), nodes: [] };
    for (let inner = graph.key(); inner; inner = graph.key()) {
      if (inner.field === 1 && inner.wire === WIRE_BYTES) out.nodes.push(readNode(graph.sub()));
      else if (inner.field === 5 && inner.wire === WIRE_BYTES) {
        const tensor = readTensor(graph.sub());
        out.initializers.set(tensor.name, tensor);
      } else graph.skip(inner.wire);
    }
    return out;
  }
  throw new OnnxFormatError('the file has no graph (is it an ONNX model?)');
}

/** The number of values a tensor of these dims holds. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** A float32 copy of a tensor's values (float32 or float16 tensors). */
export function tensorToFloat32(tensor: OnnxTensor): Float32Array {
  const count = elementCount(tensor.dims);
  const view = new DataView(tensor.bytes.buffer, tensor.bytes.byteOffset, tensor.bytes.byteLength);
  const out = new Float32Array(count);
  if (tensor.dataType === ONNX_DTYPE.float) {
    if (tensor.bytes.byteLength !== count * 4) throw new OnnxFormatError(`weight ${tensor.name} holds ${tensor.bytes.byteLength} bytes, not ${count * 4}`);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (tensor.dataType === ONNX_DTYPE.float16) {
    if (tensor.bytes.byteLength !== count * 2) throw new OnnxFormatError(`weight ${tensor.name} holds ${tensor.bytes.byteLength} bytes, not ${count * 2}`);
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    throw new OnnxFormatError(`weight ${tensor.name} has ONNX data type ${tensor.dataType}; the trainer reads float32 and float16 weights (load the fp32 model)`);
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
