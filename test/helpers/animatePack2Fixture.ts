import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { animateComponentNames, type AnimateComponentName, type AnimateManifest2 } from '../../common/pack/animateManifest2';
import type { GraphComponent2, TensorSpec2 } from '../../common/pack/packManifest2';
import { encodeGraph, externalTensor } from './pack2Fixture';

/** An Animate format 2 manifest at a small made-up size, and graphs with exactly its declared I/O. */
const f32 = (name: string, shape: TensorSpec2['shape']): TensorSpec2 => ({ name, dtype: 'float32', shape });
const lat = (name: string, channels = 16, frames = 'latent_frames') => f32(name, [1, channels, frames, 'lh', 'lw']);

const io: Record<AnimateComponentName, { inputs: TensorSpec2[]; outputs: TensorSpec2[] }> = {
  text_encoder: { inputs: [{ name: 'input_ids', dtype: 'int64', shape: [1, 512] }], outputs: [f32('context', [1, 512, 32])] },
  vae_encoder: { inputs: [f32('pixels', [1, 3, 'frames', 'height', 'width'])], outputs: [lat('latents')] },
  vae_decoder: { inputs: [lat('latents')], outputs: [f32('pixels', [1, 3, 'frames', 'height', 'width'])] },
  clip_encoder: { inputs: [f32('reference', [1, 3, 'height', 'width'])], outputs: [f32('clip_features', [1, 257, 32])] },
  face_motion: { inputs: [f32('face_pixels', ['faces', 3, 32, 32])], outputs: [f32('motion', ['faces', 32])] },
  face_encoder: { inputs: [f32('motion', [1, 'frames', 32])], outputs: [f32('face_tokens', [1, 'latent_frames', 5, 32])] },
  dit: {
    inputs: [
      lat('latents'), lat('y', 20), lat('pose_latents', 16, 'pose_frames'), f32('timestep', [1]), f32('context', [1, 512, 32]), f32('clip_features', [1, 257, 32]),
      f32('face_tokens', [1, 'latent_frames', 5, 32]), f32('rope_cos', ['seq', 8]), f32('rope_sin', ['seq', 8]), f32('lora_scale', [1]),
    ],
    outputs: [lat('velocity')],
  },
};

const hash = (c: string) => c.repeat(64).slice(0, 64);

export function animatePack2Manifest(): AnimateManifest2 {
  const components = Object.fromEntries(
    animateComponentNames.map((name, i): [AnimateComponentName, GraphComponent2] => [
      name,
      { file: `${name}.onnx`, sha256: hash(String(i)), externalData: [{ file: `${name}.weights`, sha256: hash('a') }], dtype: 'float16', ...structuredClone(io[name]) },
    ]),
  ) as Record<AnimateComponentName, GraphComponent2>;
  return {
    format: 'wan-studio-pack/2',
    name: 'tiny-animate',
    version: 'test',
    pipeline: 'animate',
    source: { model: 'Wan2.2-Animate-14B (tiny random config)', exporter: 'test' },
    tokenizer: { kind: 'umt5', file: 'tokenizer.json', sha256: hash('b'), length: 512, padId: 0, eosId: 1, cleanup: 'wan-whitespace' },
    components,
    dit: { dim: 32, heads: 2, layers: 10, textDim: 32, textLength: 512, clipTokens: 257, clipDim: 32, faceAdapterEvery: 5, ropeTheta: 10000, ropePairs: [4, 2, 2], loraRank: 4, attention: 'multihead' },
    face: { size: 32, motionDim: 32, tokens: 5 },
    latent: { channels: 16, stride: [4, 8, 8], mean: Array(16).fill(0), std: Array(16).fill(1) },
    video: { sizeMultiple: 16, framesMultiple: 4 },
  };
}

/** Writes manifest.json (as given, even without some components) and one graph per listed component. */
export async function writeAnimatePack2(dir: string, manifest: unknown = animatePack2Manifest()): Promise<void> {
  await mkdir(dir, { recursive: true });
  const components = (manifest as { components: Partial<Record<AnimateComponentName, GraphComponent2>> }).components;
  for (const name of animateComponentNames) {
    const c = components[name];
    if (!c) continue;
    const initializers = c.externalData.map((e, i) => externalTensor(`w${i}`, e.file));
    await writeFile(join(dir, c.file), encodeGraph({ inputs: io[name].inputs, outputs: io[name].outputs, initializers }));
    for (const e of c.externalData) await writeFile(join(dir, e.file), Buffer.alloc(8));
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}
