// Writes merged weights back into the base model's ONNX file: each merged projection's initializer keeps its
// name, shape and float32 type, so its bytes are overwritten in place in a copy of the file and everything else
// (graph, KV-cache inputs, tokenizer-facing names) stays exactly what the app already loads.
import { OnnxFormatError } from '../onnx/graph-inputs';
import { ONNX_DTYPE, type OnnxGraph } from '../onnx/onnx-graph';
import { PROJECTIONS, type DecoderWeights } from './decoder-weights';

/**
 * A copy of `file` (the bytes `graph` was read from) with every projection of `merged` written over its
 * initializer. Throws when an initializer feeds two projections (the exporter shares equal weights), since
 * writing one would change the other.
 */
export function patchOnnxWeights(file: Uint8Array, graph: OnnxGraph, merged: DecoderWeights): Uint8Array {
  const out = Uint8Array.from(file);
  const uses = new Map<string, number>();
  for (const layer of merged.layers) for (const p of PROJECTIONS) uses.set(layer.proj[p].source, (uses.get(layer.proj[p].source) ?? 0) + 1);
  const view = new DataView(out.buffer);
  for (const layer of merged.layers) {
    for (const p of PROJECTIONS) {
      const { source, weight } = layer.proj[p];
      const tensor = graph.initializers.get(source);
      if (!tensor || tensor.dataType !== ONNX_DTYPE.float) throw new OnnxFormatError(`weight ${source} is not a float32 initializer of this file`);
      if ((uses.get(source) ?? 0) > 1) throw new OnnxFormatError(`weight ${source} is shared by several layers in this export; merged weights cannot be written back into it`);
      if (tensor.bytes.byteLength !== weight.length * 4) throw new OnnxFormatError(`weight ${source} holds ${tensor.bytes.byteLength} bytes, not ${weight.length * 4}`);
      const offset = tensor.bytes.byteOffset - file.byteOffset;
      if (tensor.bytes.buffer !== file.buffer || offset < 0 || offset + tensor.bytes.byteLength > file.byteLength) {
        throw new OnnxFormatError('the graph was not read from these bytes');
      }
      for (let i = 0; i < weight.length; i++) view.setFloat32(offset + i * 4, weight[i], true);
    }
  }
  return out;
}
