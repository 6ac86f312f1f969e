import onnxProto from 'onnx-proto';
import { encodeModel } from './onnxBuilder';

const { onnx } = onnxProto;

/**
 * Encodes a graph with its float weights moved into one external data file (`location`, relative
 * to the graph's folder), the way an exported pack stores them: the .onnx keeps the graph and small
 * constants, the weights file the bytes (each tensor at a 64-byte aligned offset).
 */
export function withExternalWeights(model: Parameters<typeof encodeModel>[0], location: string): { onnx: Uint8Array; weights: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const initializers = model.initializers.map((t) => {
    // Small constants (scales, shapes) stay inline, as exporters keep them: shape inference reads them.
    if (t.dataType !== onnx.TensorProto.DataType.FLOAT || !t.rawData || t.rawData.length < 1024) return t;
    const bytes = t.rawData;
    const pad = (64 - (offset % 64)) % 64;
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(bytes);
    const entry = {
      ...t,
      rawData: undefined,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.length) },
      ],
    };
    offset += bytes.length;
    return entry;
  });
  const weights = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    weights.set(c, at);
    at += c.length;
  }
  return { onnx: encodeModel({ ...model, initializers }), weights };
}
