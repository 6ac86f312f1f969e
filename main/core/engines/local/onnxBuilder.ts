import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS: its namespace comes through the default export under ESM.
const { onnx } = onnxProto;
type IValueInfoProto = OnnxTypes.IValueInfoProto;
type ITensorProto = OnnxTypes.ITensorProto;
type INodeProto = OnnxTypes.INodeProto;
type IAttributeProto = OnnxTypes.IAttributeProto;

/**
 * A few helpers to write ONNX graphs with onnx-proto: value infos with symbolic dimensions,
 * float and int64 initializers, nodes with attributes. Enough for the fixture packs; real packs
 * come from an exporter.
 */
export type Dim = number | string;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

export const valueInfo = (name: string, type: 'float32' | 'int64', dims: Dim[]): IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: type === 'float32' ? DT.FLOAT : DT.INT64, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

export const floatTensor = (name: string, dims: number[], data: Float32Array): ITensorProto => ({
  name,
  dataType: DT.FLOAT,
  dims,
  rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});

export const int64Tensor = (name: string, dims: number[], values: number[]): ITensorProto => {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dataType: DT.INT64, dims, rawData: new Uint8Array(data.buffer) };
};

type AttrValue = number | number[] | string;
export function node(opType: string, input: string[], output: string[], attrs: Record<string, AttrValue> = {}, isFloat: string[] = []): INodeProto {
  const attribute = Object.entries(attrs).map(([name, v]): IAttributeProto => {
    if (typeof v === 'string') return { name, type: AT.STRING, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name, type: AT.INTS, ints: v };
    if (isFloat.includes(name)) return { name, type: AT.FLOAT, f: v };
    return { name, type: AT.INT, i: v };
  });
  return { opType, input, output, attribute, name: `${opType}_${output[0]}` };
}

export function encodeModel(graph: { name: string; nodes: INodeProto[]; inputs: IValueInfoProto[]; outputs: IValueInfoProto[]; initializers: ITensorProto[] }): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'wan-studio-fixture',
    graph: onnx.GraphProto.create({ name: graph.name, node: graph.nodes, input: graph.inputs, output: graph.outputs, initializer: graph.initializers }),
  });
  return onnx.ModelProto.encode(model).finish();
}
