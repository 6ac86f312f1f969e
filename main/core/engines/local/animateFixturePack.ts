import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACK_FORMAT, type GraphComponent, type PackManifest } from '../../../../common/pack/packManifest';
import { floatTensor, int64Tensor, node } from './onnxBuilder';
import { graph, scalar, spec, vaeDecoder, vaeEncoder, WAN_VAE_MEAN, WAN_VAE_STD, Weights, LATENT, type Built } from './fixtureGraphs';

/**
 * A tiny Animate pack in the format 1 interface (docs/model-pack.md, "Graph interfaces (format 1,
 * Animate)"), defined for the local Animate work to come. The studio does not import it: format 2
 * defines S2V only so far.
 */
const TEXT_DIM = 32;
const VOCAB = 259;

function textEncoder(w: Weights): Built {
  return graph(
    'text_encoder',
    [spec('input_ids', 'int64', [1, 'text_len'])],
    [spec('context', 'float32', [1, 'text_len', TEXT_DIM])],
    [node('Gather', ['embed', 'input_ids'], ['e']), node('MatMul', ['e', 'W'], ['m']), node('Tanh', ['m'], ['context'])],
    [floatTensor('embed', [VOCAB, TEXT_DIM], w.take(VOCAB * TEXT_DIM, 1)), floatTensor('W', [TEXT_DIM, TEXT_DIM], w.take(TEXT_DIM * TEXT_DIM, TEXT_DIM))],
  );
}

const CLIP_DIM = 32;

function clipEncoder(w: Weights): Built {
  return graph(
    'clip_encoder',
    [spec('image', 'float32', [1, 3, 224, 224])],
    [spec('clip_features', 'float32', [1, 256, CLIP_DIM])],
    [
      node('AveragePool', ['image'], ['pooled'], { kernel_shape: [14, 14], strides: [14, 14] }),
      node('Reshape', ['pooled', 'shape'], ['flat']),
      node('Transpose', ['flat'], ['tokens'], { perm: [0, 2, 1] }),
      node('MatMul', ['tokens', 'W'], ['m']),
      node('Tanh', ['m'], ['clip_features']),
    ],
    [int64Tensor('shape', [3], [1, 3, 256]), floatTensor('W', [3, CLIP_DIM], w.take(3 * CLIP_DIM, 3))] as ReturnType<typeof floatTensor>[],
  );
}

/** Animate's DiT interface: 36 input channels, CLIP features, pose latents, face crops. */
function animateDit(w: Weights, width: number): Built {
  return graph(
    'dit',
    [
      spec('latents', 'float32', [1, 36, 'latent_frames', 'latent_height', 'latent_width']),
      spec('timestep', 'float32', [1]),
      spec('context', 'float32', [1, 'text_len', TEXT_DIM]),
      spec('clip_features', 'float32', [1, 256, CLIP_DIM]),
      spec('pose_latents', 'float32', [1, 16, 'pose_latent_frames', 'latent_height', 'latent_width']),
      spec('face_pixels', 'float32', [1, 3, 'frames', 512, 512]),
    ],
    [spec('velocity', 'float32', LATENT)],
    [
      node('Conv', ['latents', 'W0', 'B0'], ['c0'], { kernel_shape: [1, 1, 1] }),
      node('Tanh', ['c0'], ['a0']),
      node('Conv', ['a0', 'W1', 'B1'], ['c1'], { kernel_shape: [1, 1, 1] }),
      node('ReduceMean', ['context'], ['ctx'], { axes: [1, 2], keepdims: 0 }),
      node('ReduceMean', ['clip_features'], ['clp'], { axes: [1, 2], keepdims: 0 }),
      node('ReduceMean', ['pose_latents'], ['pose'], { axes: [1, 2, 3, 4], keepdims: 0 }),
      node('ReduceMean', ['face_pixels'], ['face'], { axes: [1, 2, 3, 4], keepdims: 0 }),
      node('Div', ['timestep', 'k1000'], ['tn']),
      node('Add', ['ctx', 'clp'], ['g0']),
      node('Add', ['g0', 'pose'], ['g1']),
      node('Add', ['g1', 'face'], ['g2']),
      node('Add', ['g2', 'tn'], ['g3']),
      node('Mul', ['g3', 'k01'], ['g4']),
      node('Add', ['c1', 'g4'], ['velocity']),
    ],
    [
      floatTensor('W0', [width, 36, 1, 1, 1], w.take(width * 36, 36)),
      floatTensor('B0', [width], new Float32Array(width)),
      floatTensor('W1', [16, width, 1, 1, 1], w.take(16 * width, width)),
      floatTensor('B1', [16], new Float32Array(16)),
      scalar('k1000', 1000),
      scalar('k01', 0.1),
    ],
  );
}

export interface AnimateFixtureOptions {
  name?: string;
  ditWidth?: number;
  seed?: number;
}

/** Writes a format 1 Animate fixture pack into `dir` (created), manifest last, and returns the manifest. */
export async function makeAnimateFixturePack(dir: string, options: AnimateFixtureOptions = {}): Promise<PackManifest> {
  const seed = options.seed ?? 1234;
  await mkdir(dir, { recursive: true });
  const graphs: Record<string, Built> = {
    text_encoder: textEncoder(new Weights(seed + 1)),
    clip_encoder: clipEncoder(new Weights(seed + 5)),
    vae_encoder: vaeEncoder(new Weights(seed + 3)),
    vae_decoder: vaeDecoder(new Weights(seed + 4)),
    dit: animateDit(new Weights(seed + 12), options.ditWidth ?? 32),
  };
  const components: Record<string, GraphComponent> = {};
  for (const [name, g] of Object.entries(graphs)) {
    const file = `${name}.onnx`;
    await writeFile(join(dir, file), g.bytes);
    components[name] = { file, sha256: createHash('sha256').update(g.bytes).digest('hex'), dtype: 'float32', inputs: g.inputs, outputs: g.outputs };
  }
  const manifest = {
    format: PACK_FORMAT,
    name: options.name ?? 'wan-animate-fixture',
    version: `fixture-${seed}`,
    pipeline: 'animate',
    components: { tokenizer: { kind: 'bytes', maxLength: 64 }, ...components },
    latent: { channels: 16, stride: [4, 8, 8], patch: [1, 2, 2], mean: WAN_VAE_MEAN, std: WAN_VAE_STD },
  } as PackManifest;
  const tmp = join(dir, `manifest.json.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, join(dir, 'manifest.json'));
  return manifest;
}
