import { describe, expect, it } from 'vitest';
import { loadedWeightsBytes, packWeightsNeed, weightsMemoryProblem } from '../../../common/pack/loadedWeights';
import type { GraphComponent2 } from '../../../common/pack/packManifest2';

const GB = 2 ** 30;
const graph = (file: string, dtype: 'float16' | 'float32', weights: string[]): GraphComponent2 => ({
  file,
  sha256: '0'.repeat(64),
  externalData: weights.map((w) => ({ file: w, sha256: '0'.repeat(64) })),
  dtype,
  inputs: [],
  outputs: [],
});

// File sizes of a real Animate pack at fp16 (the release's 14B DiT with its adapters, umT5-xxl's encoder, CLIP ViT-H, the VAE).
const sizes: Record<string, number> = { 'dit.onnx': 0.01 * GB, 'dit.weights': 32 * GB, 'text_encoder.onnx': 0.001 * GB, 'text_encoder.weights': 10.6 * GB, 'clip_encoder.onnx': 0.001 * GB, 'clip_encoder.weights': 1.2 * GB, 'vae_encoder.onnx': 0.2 * GB };
const components = {
  dit: graph('dit.onnx', 'float16', ['dit.weights']),
  text_encoder: graph('text_encoder.onnx', 'float16', ['text_encoder.weights']),
  clip_encoder: graph('clip_encoder.onnx', 'float16', ['clip_encoder.weights']),
  vae_encoder: graph('vae_encoder.onnx', 'float32', []),
};
const size = (f: string) => sizes[f] ?? 0;

describe("a pack's memory once loaded", () => {
  it('fp16-stored weights count twice (ONNX Runtime folds their Cast to float32 at load); float32 ones once; the graph file counts too', () => {
    expect(loadedWeightsBytes(components.dit, size)).toBeCloseTo(2 * 32.01 * GB, -3);
    expect(loadedWeightsBytes(components.vae_encoder, size)).toBeCloseTo(0.2 * GB, -3);
    const need = packWeightsNeed(components, size);
    expect(need.largest.name).toBe('dit');
    expect(need.allBytes / GB).toBeCloseTo(2 * (32.01 + 10.601 + 1.201) + 0.2, 2);
  });

  it("a DiT larger than this computer's memory is refused naming it, the memory it needs and what to do", () => {
    expect(weightsMemoryProblem(packWeightsNeed(components, size), false, 24 * GB)).toBe(
      "The model pack's video model (dit) needs about 64 GB of memory once loaded (its weights run as float32); this computer has 24 GB. Render in the cloud, or on a computer with more memory.",
    );
  });

  it('graphs that fit one at a time but not together: refused only when they are kept loaded, pointing at Offload models', () => {
    const need = packWeightsNeed(components, size);
    expect(weightsMemoryProblem(need, false, 80 * GB)).toBeNull();
    expect(weightsMemoryProblem(need, true, 80 * GB)).toBe(
      "The model pack's graphs need about 88 GB of memory kept loaded together; this computer has 80 GB. Turn on Offload models (each stage's models are released when it is done), or render in the cloud.",
    );
    expect(weightsMemoryProblem(need, true, 128 * GB)).toBeNull();
  });
});
