import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GaussianNoise } from '../../../../common/random/gaussianNoise';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo, type Dim } from './onnxBuilder';
import { PACK_FORMAT, type GraphComponent, type PackManifest, type TensorSpec } from '../../../../common/pack/packManifest';

/**
 * Tiny deterministic model packs with exactly the interfaces of docs/model-pack.md: a few
 * MatMul/Conv layers with seeded weights. Their frames are not pictures; they prove the plumbing
 * (loading, shapes, sampling, caching, decoding, encoding) end to end. `ditWidth`/`ditDepth` make
 * the DiT heavy enough for benches where ORT time must dominate.
 */
export interface FixtureOptions {
  name?: string;
  /** s2v (the default) or the animate interface, defined for later work. */
  pipeline?: 's2v' | 'animate';
  /** Split the DiT into dit_first_block + dit_rest (for the first block cache). */
  splitDit?: boolean;
  ditWidth?: number;
  ditDepth?: number;
  seed?: number;
  /**
   * The audio encoder asks ONNX Runtime for a buffer of hundreds of terabytes when it runs (sized
   * from its input, so it is not folded away at load): a real out-of-memory failure for tests.
   */
  outOfMemory?: boolean;
}

const TEXT_DIM = 32;
const AUDIO_DIM = 32;
const HOP = 320;
const VOCAB = 259; // 256 bytes + pad, bos, eos

/** Wan 2.1 VAE latent statistics (research/wan22.md §0.3). */
export const WAN_VAE_MEAN = [-0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508, 0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921];
export const WAN_VAE_STD = [2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687, 2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.916];

interface Built {
  bytes: Uint8Array;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

class Weights {
  private readonly noise: GaussianNoise;
  constructor(seed: number) {
    this.noise = new GaussianNoise(seed);
  }
  /** Scaled so activations stay near unit size through tanh layers. */
  take(n: number, fanIn: number): Float32Array {
    const w = this.noise.fill(n);
    const s = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) * s;
    return w;
  }
}

const spec = (name: string, dtype: TensorSpec['dtype'], shape: Dim[]): TensorSpec => ({ name, dtype, shape });
const scalar = (name: string, v: number) => floatTensor(name, [1], Float32Array.of(v));
const LATENT: Dim[] = [1, 16, 'latent_frames', 'latent_height', 'latent_width'];

function graph(name: string, inputs: TensorSpec[], outputs: TensorSpec[], nodes: ReturnType<typeof node>[], initializers: ReturnType<typeof floatTensor>[]): Built {
  const vi = (t: TensorSpec) => valueInfo(t.name, t.dtype === 'int64' ? 'int64' : 'float32', t.shape);
  return { bytes: encodeModel({ name, nodes, inputs: inputs.map(vi), outputs: outputs.map(vi), initializers }), inputs, outputs };
}

function textEncoder(w: Weights): Built {
  return graph(
    'text_encoder',
    [spec('input_ids', 'int64', [1, 'text_len'])],
    [spec('context', 'float32', [1, 'text_len', TEXT_DIM])],
    [node('Gather', ['embed', 'input_ids'], ['e']), node('MatMul', ['e', 'W'], ['m']), node('Tanh', ['m'], ['context'])],
    [floatTensor('embed', [VOCAB, TEXT_DIM], w.take(VOCAB * TEXT_DIM, 1)), floatTensor('W', [TEXT_DIM, TEXT_DIM], w.take(TEXT_DIM * TEXT_DIM, TEXT_DIM))],
  );
}

function audioEncoder(w: Weights, outOfMemory: boolean): Built {
  const weights = [floatTensor('W', [HOP, AUDIO_DIM], w.take(HOP * AUDIO_DIM, HOP / 8))];
  if (!outOfMemory) {
    return graph(
      'audio_encoder',
      [spec('audio_frames', 'float32', [1, 'audio_steps', HOP])],
      [spec('audio_features', 'float32', [1, 'audio_steps', AUDIO_DIM])],
      [node('MatMul', ['audio_frames', 'W'], ['m']), node('Tanh', ['m'], ['audio_features'])],
      weights,
    );
  }
  // shape(audio_frames) * [1, 2^26, 4096] zeros, averaged and added as 0: the allocation fails.
  return graph(
    'audio_encoder',
    [spec('audio_frames', 'float32', [1, 'audio_steps', HOP])],
    [spec('audio_features', 'float32', [1, 'audio_steps', AUDIO_DIM])],
    [
      node('MatMul', ['audio_frames', 'W'], ['m']),
      node('Tanh', ['m'], ['t']),
      node('Shape', ['audio_frames'], ['s']),
      node('Mul', ['s', 'huge'], ['big']),
      node('ConstantOfShape', ['big'], ['z']),
      node('ReduceMean', ['z'], ['zm'], { keepdims: 0 }),
      node('Add', ['t', 'zm'], ['audio_features']),
    ],
    [...weights, int64Tensor('huge', [3], [1, 2 ** 26, 4096])] as ReturnType<typeof floatTensor>[],
  );
}

function vaeEncoder(w: Weights): Built {
  return graph(
    'vae_encoder',
    [spec('pixels', 'float32', [1, 3, 'frames', 'height', 'width'])],
    [spec('latents', 'float32', LATENT)],
    [
      node('AveragePool', ['pixels'], ['pooled'], { kernel_shape: [1, 8, 8], strides: [1, 8, 8] }),
      // Causal temporal stride 4: frames 0, 4, 8, ... (1 + 4k frames give 1 + k latents).
      node('Slice', ['pooled', 'starts', 'ends', 'axes', 'steps'], ['sliced']),
      node('Conv', ['sliced', 'W', 'B'], ['latents'], { kernel_shape: [1, 1, 1] }),
    ],
    [int64Tensor('starts', [1], [0]), int64Tensor('ends', [1], [2 ** 31 - 1]), int64Tensor('axes', [1], [2]), int64Tensor('steps', [1], [4]), floatTensor('W', [16, 3, 1, 1, 1], w.take(48, 3)), floatTensor('B', [16], new Float32Array(16))] as ReturnType<typeof floatTensor>[],
  );
}

function vaeDecoder(w: Weights): Built {
  return graph(
    'vae_decoder',
    [spec('latents', 'float32', LATENT)],
    [spec('pixels', 'float32', [1, 3, 'frames', 'height', 'width'])],
    [
      node('Conv', ['latents', 'W', 'B'], ['c'], { kernel_shape: [1, 1, 1] }),
      node('Tanh', ['c'], ['t']),
      node('Resize', ['t', '', 'scales'], ['up'], { mode: 'nearest' }),
      // 1 + k latents decode to 1 + 4k frames: drop the first 3 of the 4 copies of latent 0.
      node('Slice', ['up', 'starts', 'ends', 'axes'], ['pixels']),
    ],
    [floatTensor('W', [3, 16, 1, 1, 1], w.take(48, 16)), floatTensor('B', [3], new Float32Array(3)), floatTensor('scales', [5], Float32Array.of(1, 1, 4, 8, 8)), int64Tensor('starts', [1], [3]), int64Tensor('ends', [1], [2 ** 31 - 1]), int64Tensor('axes', [1], [2])] as ReturnType<typeof floatTensor>[],
  );
}

const DIT_INPUTS = (): TensorSpec[] => [
  spec('latents', 'float32', LATENT),
  spec('timestep', 'float32', [1]),
  spec('context', 'float32', [1, 'text_len', TEXT_DIM]),
  spec('audio', 'float32', [1, 'audio_steps', AUDIO_DIM]),
  spec('ref_latents', 'float32', [1, 16, 1, 'latent_height', 'latent_width']),
  spec('motion_latents', 'float32', [1, 16, 'motion_latent_frames', 'latent_height', 'latent_width']),
];

/** Block 0: a conditioned 1x1x1 conv. Its residual is what the first block cache compares. */
function firstBlockNodes(w: Weights, width: number) {
  const nodes = [
    node('Conv', ['latents', 'W0', 'B0'], ['c0'], { kernel_shape: [1, 1, 1] }),
    node('Tanh', ['c0'], ['a0']),
    node('Conv', ['a0', 'W1', 'B1'], ['c1'], { kernel_shape: [1, 1, 1] }),
    node('Div', ['timestep', 'k1000'], ['tn']),
    node('ReduceMean', ['context'], ['ctx'], { axes: [1, 2], keepdims: 0 }),
    node('ReduceMean', ['audio'], ['aud'], { axes: [1, 2], keepdims: 0 }),
    node('ReduceMean', ['motion_latents'], ['mot'], { axes: [1, 2, 3, 4], keepdims: 0 }),
    node('ReduceMean', ['ref_latents'], ['ref'], { axes: [2], keepdims: 1 }),
    node('Add', ['ctx', 'aud'], ['g0']),
    node('Add', ['g0', 'mot'], ['g1']),
    node('Add', ['g1', 'tn'], ['g2']),
    node('Mul', ['g2', 'k01'], ['g3']),
    node('Mul', ['ref', 'k01'], ['r1']),
    node('Add', ['c1', 'g3'], ['h0']),
    node('Add', ['h0', 'r1'], ['residual_raw']),
    node('Add', ['latents', 'residual_raw'], ['hidden']),
  ];
  const init = [
    floatTensor('W0', [width, 16, 1, 1, 1], w.take(width * 16, 16)),
    floatTensor('B0', [width], new Float32Array(width)),
    floatTensor('W1', [16, width, 1, 1, 1], w.take(16 * width, width * 4)),
    floatTensor('B1', [16], new Float32Array(16)),
    scalar('k1000', 1000),
    scalar('k01', 0.1),
  ];
  return { nodes, init };
}

/** The remaining blocks: `depth` residual 1x1x1 conv pairs, then the velocity head. */
function restNodes(w: Weights, width: number, depth: number, input: string) {
  const nodes: ReturnType<typeof node>[] = [];
  const init: ReturnType<typeof floatTensor>[] = [];
  let x = input;
  for (let d = 0; d < depth; d++) {
    nodes.push(
      node('Conv', [x, `Wa${d}`, `Ba${d}`], [`ra${d}`], { kernel_shape: [1, 1, 1] }),
      node('Tanh', [`ra${d}`], [`ta${d}`]),
      node('Conv', [`ta${d}`, `Wb${d}`, `Bb${d}`], [`rb${d}`], { kernel_shape: [1, 1, 1] }),
      node('Add', [x, `rb${d}`], [`x${d}`]),
    );
    init.push(
      floatTensor(`Wa${d}`, [width, 16, 1, 1, 1], w.take(width * 16, 16)),
      floatTensor(`Ba${d}`, [width], new Float32Array(width)),
      floatTensor(`Wb${d}`, [16, width, 1, 1, 1], w.take(16 * width, width * 8)),
      floatTensor(`Bb${d}`, [16], new Float32Array(16)),
    );
    x = `x${d}`;
  }
  nodes.push(node('Conv', [x, 'Wv', 'Bv'], ['velocity'], { kernel_shape: [1, 1, 1] }));
  init.push(floatTensor('Wv', [16, 16, 1, 1, 1], w.take(256, 16)), floatTensor('Bv', [16], new Float32Array(16)));
  return { nodes, init };
}

function ditGraphs(seed: number, width: number, depth: number, split: boolean): Record<string, Built> {
  // The same seeds for the full and split forms: the two compute the same velocity.
  const first = firstBlockNodes(new Weights(seed + 10), width);
  const rest = restNodes(new Weights(seed + 11), width, depth, 'hidden');
  if (!split) {
    return { dit: graph('dit', DIT_INPUTS(), [spec('velocity', 'float32', LATENT)], [...first.nodes, ...rest.nodes], [...first.init, ...rest.init]) };
  }
  return {
    dit_first_block: graph('dit_first_block', DIT_INPUTS(), [spec('hidden', 'float32', LATENT), spec('first_residual', 'float32', LATENT)], [...first.nodes, node('Identity', ['residual_raw'], ['first_residual'])], first.init),
    dit_rest: graph(
      'dit_rest',
      [spec('hidden', 'float32', LATENT), spec('timestep', 'float32', [1]), spec('context', 'float32', [1, 'text_len', TEXT_DIM]), spec('audio', 'float32', [1, 'audio_steps', AUDIO_DIM])],
      [spec('velocity', 'float32', LATENT)],
      rest.nodes,
      rest.init,
    ),
  };
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

/** Writes a fixture pack into `dir` (created), manifest last, and returns the manifest. */
export async function makeFixturePack(dir: string, options: FixtureOptions = {}): Promise<PackManifest> {
  const seed = options.seed ?? 1234;
  await mkdir(dir, { recursive: true });
  const pipeline = options.pipeline ?? 's2v';
  const graphs: Record<string, Built> =
    pipeline === 's2v'
      ? {
          text_encoder: textEncoder(new Weights(seed + 1)),
          audio_encoder: audioEncoder(new Weights(seed + 2), options.outOfMemory ?? false),
          vae_encoder: vaeEncoder(new Weights(seed + 3)),
          vae_decoder: vaeDecoder(new Weights(seed + 4)),
          ...ditGraphs(seed, options.ditWidth ?? 32, options.ditDepth ?? 2, options.splitDit ?? true),
        }
      : {
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
    name: options.name ?? `wan-${pipeline}-fixture`,
    version: `fixture-${seed}`,
    pipeline,
    components: { tokenizer: { kind: 'bytes', maxLength: 64 }, ...components },
    latent: { channels: 16, stride: [4, 8, 8], patch: [1, 2, 2], mean: WAN_VAE_MEAN, std: WAN_VAE_STD },
    ...(pipeline === 's2v' ? { audio: { sampleRate: 16000, hop: HOP, featureRate: 16000 / HOP } } : {}),
  } as PackManifest;
  const tmp = join(dir, `manifest.json.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, join(dir, 'manifest.json'));
  return manifest;
}
