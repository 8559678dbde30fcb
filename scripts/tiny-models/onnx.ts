// ONNX encoding (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto)
// and a small graph builder that names intermediate values deterministically.

import { ProtoWriter } from './protobuf.ts';

/** ONNX IR version written into every model (ONNX 1.13+, read by onnxruntime 1.14+). */
export const IR_VERSION = 8;
/** Default-domain opset written into every model. */
export const OPSET = 17;

/** ONNX tensor element types used here (TensorProto.DataType); BOOL is only a Cast target. */
export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;
/** One of {@link DataType}'s values. */
export type ElemType = (typeof DataType)[keyof typeof DataType];

/** A tensor dimension: a fixed size, or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/** A node attribute, tagged with its ONNX attribute type. */
export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] };

/** A constant tensor (an initializer). */
export interface Tensor {
  dims: readonly number[];
  data: Float32Array | BigInt64Array;
}

/** Integer attribute (INT). */
export const int = (value: number): Attr => ({ kind: 'int', value });
/** Float attribute (FLOAT). */
export const float = (value: number): Attr => ({ kind: 'float', value });
/** Integer-list attribute (INTS). */
export const ints = (value: readonly number[]): Attr => ({ kind: 'ints', value });

// AttributeProto.AttributeType values.
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** Encodes a TensorProto with little-endian `raw_data`. */
function encodeTensor(name: string, tensor: Tensor): ProtoWriter {
  const size = tensor.dims.reduce((a, b) => a * b, 1);
  if (size !== tensor.data.length) {
    throw new Error(`Tensor "${name}" has ${tensor.data.length} values but dims ${tensor.dims.join('x')}`);
  }
  const raw = new Uint8Array(tensor.data.byteLength);
  const view = new DataView(raw.buffer);
  const { data } = tensor;
  // NOTE: write element by element so the bytes are little-endian on any host.
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  const w = new ProtoWriter();
  for (const d of tensor.dims) w.varint(1, d);
  const elemType = data instanceof Float32Array ? DataType.FLOAT : DataType.INT64;
  return w.varint(2, elemType).string(8, name).bytes(9, raw);
}

function encodeAttribute(name: string, attr: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (attr.kind) {
    case 'float':
      return w.float(2, attr.value).varint(20, ATTR_FLOAT);
    case 'int':
      return w.varint(3, attr.value).varint(20, ATTR_INT);
    case 'ints':
      return w.packedInts(8, attr.value).varint(20, ATTR_INTS);
  }
}

function encodeValueInfo(name: string, elemType: ElemType, dims: readonly Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) {
    const dim = typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/**
 * Builds one ONNX graph. Values are referred to by name; helpers return the
 * names of the values they create, numbered in call order so that the same
 * build always yields the same bytes.
 */
export class GraphBuilder {
  private readonly nodes: ProtoWriter[] = [];
  private readonly initializers: ProtoWriter[] = [];
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Declares a graph input and returns its name. */
  input(name: string, elemType: ElemType, dims: readonly Dim[]): string {
    this.inputs.push(encodeValueInfo(name, elemType, dims));
    return name;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, elemType: ElemType, dims: readonly Dim[]): void {
    this.outputs.push(encodeValueInfo(name, elemType, dims));
  }

  /** Adds a named constant (weights) and returns its name. */
  initializer(name: string, data: Tensor['data'], dims: readonly number[]): string {
    this.initializers.push(encodeTensor(name, { data, dims }));
    return name;
  }

  /** Adds an anonymous float constant; `dims` defaults to a 1-D tensor, `[]` makes a scalar. */
  floats(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(this.fresh('const_f'), Float32Array.from(values), dims);
  }

  /** Adds an anonymous int64 constant; `dims` defaults to a 1-D tensor, `[]` makes a scalar. */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(this.fresh('const_i'), BigInt64Array.from(values, BigInt), dims);
  }

  /** Adds a node with explicit output names (use for graph outputs and multi-output ops). */
  nodeTo(op: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, Attr> = {}): void {
    const w = new ProtoWriter();
    for (const i of inputs) w.string(1, i);
    for (const o of outputs) w.string(2, o);
    w.string(3, this.fresh(op)).string(4, op);
    for (const [key, attr] of Object.entries(attrs)) w.message(5, encodeAttribute(key, attr));
    this.nodes.push(w);
  }

  /** Adds a single-output node and returns the output's generated name. */
  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    const out = this.fresh(op.toLowerCase());
    this.nodeTo(op, inputs, [out], attrs);
    return out;
  }

  /** Encodes the graph as a ModelProto (IR version 8, opset 17). */
  toModel(producer = 'raft-playground-tiny-models'): Uint8Array {
    const graph = new ProtoWriter();
    for (const n of this.nodes) graph.message(1, n);
    graph.string(2, this.name);
    for (const t of this.initializers) graph.message(5, t);
    for (const i of this.inputs) graph.message(11, i);
    for (const o of this.outputs) graph.message(12, o);
    const opset = new ProtoWriter().string(1, '').varint(2, OPSET);
    return new ProtoWriter()
      .varint(1, IR_VERSION)
      .string(2, producer)
      .message(7, graph)
      .message(8, opset)
      .finish();
  }
}
