import { GaussianNoise } from '../../../../common/random/gaussianNoise';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo, type Dim } from './onnxBuilder';
import type { TensorSpec2 as TensorSpec } from '../../../../common/pack/packManifest2';

/**
 * Pieces the fixture pack generators share: seeded weights, graph assembly with declared
 * interfaces, and the tiny VAE graphs (an 8x8 average pool and a causal temporal stride of 4; a
 * nearest upsample back). Their frames are not pictures; they prove the plumbing end to end.
 */

/** Wan 2.1 VAE latent statistics (research/wan22.md §0.3). */
export const WAN_VAE_MEAN = [-0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508, 0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921];
export const WAN_VAE_STD = [2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687, 2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.916];

export interface Built {
  bytes: Uint8Array;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** The graph before encoding, for writers that move its weights into an external file. */
  model: Parameters<typeof encodeModel>[0];
}

export class Weights {
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

export const spec = (name: string, dtype: TensorSpec['dtype'], shape: Dim[]): TensorSpec => ({ name, dtype, shape });
export const scalar = (name: string, v: number) => floatTensor(name, [1], Float32Array.of(v));
export const LATENT: Dim[] = [1, 16, 'latent_frames', 'latent_height', 'latent_width'];

export function graph(name: string, inputs: TensorSpec[], outputs: TensorSpec[], nodes: ReturnType<typeof node>[], initializers: ReturnType<typeof floatTensor>[]): Built {
  const vi = (t: TensorSpec) => valueInfo(t.name, t.dtype === 'int64' ? 'int64' : 'float32', t.shape);
  const model = { name, nodes, inputs: inputs.map(vi), outputs: outputs.map(vi), initializers };
  return { bytes: encodeModel(model), inputs, outputs, model };
}

export function vaeEncoder(w: Weights, latent: Dim[] = LATENT): Built {
  return graph(
    'vae_encoder',
    [spec('pixels', 'float32', [1, 3, 'frames', 'height', 'width'])],
    [spec('latents', 'float32', latent)],
    [
      node('AveragePool', ['pixels'], ['pooled'], { kernel_shape: [1, 8, 8], strides: [1, 8, 8] }),
      // Causal temporal stride 4: frames 0, 4, 8, ... (1 + 4k frames give 1 + k latents).
      node('Slice', ['pooled', 'starts', 'ends', 'axes', 'steps'], ['sliced']),
      node('Conv', ['sliced', 'W', 'B'], ['latents'], { kernel_shape: [1, 1, 1] }),
    ],
    [int64Tensor('starts', [1], [0]), int64Tensor('ends', [1], [2 ** 31 - 1]), int64Tensor('axes', [1], [2]), int64Tensor('steps', [1], [4]), floatTensor('W', [16, 3, 1, 1, 1], w.take(48, 3)), floatTensor('B', [16], new Float32Array(16))] as ReturnType<typeof floatTensor>[],
  );
}

export function vaeDecoder(w: Weights, latent: Dim[] = LATENT): Built {
  return graph(
    'vae_decoder',
    [spec('latents', 'float32', latent)],
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

