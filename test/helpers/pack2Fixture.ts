import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { GraphComponent2, PackManifest2, S2vComponentName, TensorSpec2 } from '../../common/pack/packManifest2';
import { s2vComponentNames } from '../../common/pack/packManifest2';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const elem = { float32: DT.FLOAT, float16: DT.FLOAT16, int64: DT.INT64, int32: DT.INT32 } as const;

/**
 * A format 2 manifest at a small made-up size, and ONNX files with exactly its declared inputs and
 * outputs (their nodes do nothing useful: the I/O reader and the pack check read only the interface).
 */
const f32 = (name: string, shape: TensorSpec2['shape']): TensorSpec2 => ({ name, dtype: 'float32', shape });
const lat = (name: string, frames: number | string = 'latent_frames') => f32(name, [1, 16, frames, 'lh', 'lw']);
const ditCond = [f32('timestep', [1]), f32('context', [1, 512, 32]), f32('audio', [1, 'audio_frames', 24]), f32('rope_cos', ['seq', 4]), f32('rope_sin', ['seq', 4])];

const io: Record<S2vComponentName, { inputs: TensorSpec2[]; outputs: TensorSpec2[] }> = {
  text_encoder: { inputs: [{ name: 'input_ids', dtype: 'int64', shape: [1, 512] }], outputs: [f32('context', [1, 512, 32])] },
  audio_encoder: { inputs: [f32('waveform', [1, 'samples'])], outputs: [f32('audio_features', [1, 'audio_steps', 24])] },
  vae_encoder: { inputs: [f32('pixels', [1, 3, 'frames', 'height', 'width'])], outputs: [lat('latents')] },
  vae_decoder: { inputs: [lat('latents')], outputs: [f32('pixels', [1, 3, 'frames', 'height', 'width'])] },
  dit_first_block: { inputs: [lat('latents'), lat('pose_latents'), lat('ref_latents', 1), lat('motion_latents', 19), ...ditCond], outputs: [f32('hidden', [1, 'seq', 48]), f32('first_residual', [1, 'seq', 48])] },
  dit_rest: { inputs: [f32('hidden', [1, 'seq', 48]), lat('latents'), ...ditCond], outputs: [lat('velocity'), f32('rest_residual', [1, 'seq', 48])] },
  dit_head: { inputs: [f32('hidden', [1, 'seq', 48]), lat('latents'), f32('timestep', [1])], outputs: [lat('velocity')] },
};

const hash = (c: string) => c.repeat(64).slice(0, 64);

export function pack2Manifest(): PackManifest2 {
  const components = Object.fromEntries(
    s2vComponentNames.map((name, i): [S2vComponentName, GraphComponent2] => [
      name,
      { file: `${name}.onnx`, sha256: hash(String(i)), externalData: [{ file: `${name}.weights`, sha256: hash('a') }], dtype: 'float16', ...structuredClone(io[name]) },
    ]),
  ) as Record<S2vComponentName, GraphComponent2>;
  return {
    format: 'wan-studio-pack/2',
    name: 'tiny',
    version: 'test',
    pipeline: 's2v',
    source: { model: 'Wan2.2-S2V-14B (tiny random config)', exporter: 'test' },
    tokenizer: { kind: 'umt5', file: 'tokenizer.json', sha256: hash('b'), length: 512, padId: 0, eosId: 1, cleanup: 'wan-whitespace' },
    components,
    dit: { dim: 48, heads: 6, layers: 3, ffnDim: 64, textDim: 32, textLength: 512, patch: [1, 2, 2], ropeTheta: 10000, ropePairs: [2, 1, 1], audioInjectLayers: [0, 2], motionFrames: 73, motionLatents: 19, framePackBuckets: [1, 2, 16], refTimeIndex: 30, attention: 'multihead' },
    latent: { channels: 16, stride: [4, 8, 8], mean: Array(16).fill(0), std: Array(16).fill(1) },
    audio: { sampleRate: 16000, featureRate: 50, videoRate: 30, fps: 16, dim: 24 },
    video: { sizeMultiple: 64, framesMultiple: 4 },
  };
}

const valueInfo = (t: TensorSpec2): OnnxTypes.IValueInfoProto => ({
  name: t.name,
  type: { tensorType: { elemType: elem[t.dtype], shape: { dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

/** An initializer whose bytes live in `location` (which need not exist: the reader never opens it). */
export const externalTensor = (name: string, location: string): OnnxTypes.ITensorProto => ({
  name,
  dataType: DT.FLOAT16,
  dims: [4],
  dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
  externalData: [
    { key: 'location', value: location },
    { key: 'offset', value: '0' },
    { key: 'length', value: '8' },
  ],
});

export function encodeGraph(g: { inputs: TensorSpec2[]; outputs: TensorSpec2[]; initializers?: OnnxTypes.ITensorProto[]; nodes?: OnnxTypes.INodeProto[] }): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'wan-studio-test',
    graph: onnx.GraphProto.create({ name: 'g', node: g.nodes ?? [], input: g.inputs.map(valueInfo), output: g.outputs.map(valueInfo), initializer: g.initializers ?? [] }),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Writes manifest.json and one graph per component whose interface matches the manifest. */
export async function writePack2(dir: string, manifest: PackManifest2 = pack2Manifest()): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of s2vComponentNames) {
    const c = manifest.components[name];
    const initializers = c.externalData.map((e, i) => externalTensor(`w${i}`, e.file));
    await writeFile(join(dir, c.file), encodeGraph({ inputs: io[name].inputs, outputs: io[name].outputs, initializers }));
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}
