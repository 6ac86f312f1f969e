import { open } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import type { TensorDtype2 } from './packManifest2';
import { ProtoError, ProtoScanner, type ProtoField } from './protoScanner';

// onnx-proto is CommonJS: its namespace comes through the default export under ESM.
const { onnx } = onnxProto;

/**
 * The interface of an ONNX graph read straight from its protobuf, without an ONNX Runtime session
 * and without touching its weights: inline tensor bytes are jumped over and external data files are
 * only named. A pack with a 30 GB DiT is checked in milliseconds, without a GPU.
 */
export type GraphDim = number | string | null;
export type GraphTensor = { name: string; elemType: number; dtype: TensorDtype2 | null; shape: GraphDim[] | null };
export type OnnxGraphIo = {
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  inputs: GraphTensor[];
  outputs: GraphTensor[];
  /** Every external data file the graph's tensors point to (incl. subgraphs), as written in the graph. */
  externalFiles: string[];
};

const DT = onnx.TensorProto.DataType;
const dtypeOf: Record<number, TensorDtype2> = { [DT.FLOAT]: 'float32', [DT.FLOAT16]: 'float16', [DT.INT64]: 'int64', [DT.INT32]: 'int32' };
const elemTypeName = (t: number): string => dtypeOf[t] ?? (onnx.TensorProto.DataType[t] as string | undefined)?.toLowerCase() ?? `type ${t}`;
export { elemTypeName };

// Field numbers from onnx.proto.
const MODEL = { irVersion: 1, graph: 7, opsetImport: 8 };
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12 };
const NODE = { attribute: 5 };
const ATTRIBUTE = { t: 5, g: 6, tensors: 10, graphs: 11 };
const TENSOR = { name: 8, externalData: 13 };

export async function readOnnxGraphIo(path: string): Promise<OnnxGraphIo> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const scanner = new ProtoScanner(fh, size);
    const io: OnnxGraphIo = { irVersion: 0, opsets: [], inputs: [], outputs: [], externalFiles: [] };
    const found: { graph?: ProtoField } = {};
    await scanner.scan(0, size, async (f) => {
      if (f.field === MODEL.irVersion && f.wire === 0) io.irVersion = f.value;
      else if (f.field === MODEL.graph && f.wire === 2) found.graph = f;
      else if (f.field === MODEL.opsetImport && f.wire === 2) {
        const o = onnx.OperatorSetIdProto.decode(await scanner.bytes(f.start, f.end));
        io.opsets.push({ domain: o.domain ?? '', version: Number(o.version ?? 0) });
      }
    });
    const g = found.graph;
    if (!g) throw new ProtoError('it holds no graph');
    const external = new Set<string>();
    const initializers = new Set<string>();
    await scanner.scan(g.start, g.end, async (f) => {
      if (f.wire !== 2) return;
      if (f.field === GRAPH.input || f.field === GRAPH.output) {
        const t = tensorOf(onnx.ValueInfoProto.decode(await scanner.bytes(f.start, f.end)));
        (f.field === GRAPH.input ? io.inputs : io.outputs).push(t);
      } else if (f.field === GRAPH.initializer) {
        const name = await tensorExternal(scanner, f, external);
        if (name) initializers.add(name);
      } else if (f.field === GRAPH.node) await nodeExternal(scanner, f, external);
    });
    // Old exporters list initializers among the inputs; they are weights, not inputs.
    io.inputs = io.inputs.filter((t) => !initializers.has(t.name));
    io.externalFiles = [...external].sort();
    return io;
  } catch (e) {
    if (e instanceof ProtoError) throw new ProtoError(`${path} is not a readable ONNX model: ${e.message}`);
    throw e;
  } finally {
    await fh.close();
  }
}

function tensorOf(v: ReturnType<typeof onnx.ValueInfoProto.decode>): GraphTensor {
  const tt = v.type?.tensorType;
  const elemType = tt?.elemType ?? 0;
  const shape = tt?.shape ? (tt.shape.dim ?? []).map((d): GraphDim => (d.dimParam ? d.dimParam : d.dimValue != null && Number(d.dimValue) > 0 ? Number(d.dimValue) : null)) : null;
  return { name: v.name ?? '', elemType, dtype: dtypeOf[elemType] ?? null, shape };
}

/** Adds a tensor's external data location to `into`; returns the tensor's name. Skips its bytes. */
async function tensorExternal(scanner: ProtoScanner, t: ProtoField, into: Set<string>): Promise<string> {
  let name = '';
  await scanner.scan(t.start, t.end, async (f) => {
    if (f.wire !== 2) return;
    if (f.field === TENSOR.name) name = Buffer.from(await scanner.bytes(f.start, f.end)).toString('utf8');
    else if (f.field === TENSOR.externalData) {
      const entry = onnx.StringStringEntryProto.decode(await scanner.bytes(f.start, f.end));
      if (entry.key === 'location' && entry.value) into.add(entry.value);
    }
  });
  return name;
}

/** Tensors in node attributes and subgraphs (Loop/If bodies) may hold external data too. */
async function nodeExternal(scanner: ProtoScanner, node: ProtoField, into: Set<string>): Promise<void> {
  await scanner.scan(node.start, node.end, async (f) => {
    if (f.wire !== 2 || f.field !== NODE.attribute) return;
    await scanner.scan(f.start, f.end, async (a) => {
      if (a.wire !== 2) return;
      if (a.field === ATTRIBUTE.t || a.field === ATTRIBUTE.tensors) await tensorExternal(scanner, a, into);
      else if (a.field === ATTRIBUTE.g || a.field === ATTRIBUTE.graphs) await subgraphExternal(scanner, a, into);
    });
  });
}

async function subgraphExternal(scanner: ProtoScanner, g: ProtoField, into: Set<string>): Promise<void> {
  await scanner.scan(g.start, g.end, async (f) => {
    if (f.wire !== 2) return;
    if (f.field === GRAPH.initializer) await tensorExternal(scanner, f, into);
    else if (f.field === GRAPH.node) await nodeExternal(scanner, f, into);
  });
}

export { ProtoError as OnnxReadError };
