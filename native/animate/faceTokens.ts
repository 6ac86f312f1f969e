import { fromRgb } from '../wan/rgbFrames';
import { data, f32, type Tensor } from '../wan/tensors';
import type { AnimateStages } from './animateStages';

/** face_motion runs on batches of this many frames, as the official motion encoder does. */
const FACE_BATCH = 8;

/** Motion vectors [n, motionDim] of n face crops (RGB24, S x S each), pixels in [-1, 1]. */
export async function faceMotion(stages: AnimateStages, faces: Uint8Array, n: number, S: number): Promise<Float32Array> {
  const ss = S * S;
  const parts: Float32Array[] = [];
  for (let b = 0; b < n; b += FACE_BATCH) {
    const m = Math.min(FACE_BATCH, n - b);
    const pixels = new Float32Array(m * 3 * ss);
    // [faces, 3, S, S]: each face is its own planar [3, 1, S, S] block.
    for (let f = 0; f < m; f++) fromRgb(Buffer.from(faces.buffer, faces.byteOffset + (b + f) * ss * 3, ss * 3), 1, ss, pixels.subarray(f * 3 * ss, (f + 1) * 3 * ss), 1, 0);
    parts.push(data((await stages.run('face_motion', { face_pixels: f32(pixels, [m, 3, S, S]) })).motion, 'face motion'));
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One clip's face tokens [1, latT + 1, tokens, dim] from its n frames' motion vectors. */
export async function faceTokens(stages: AnimateStages, motion: Float32Array, n: number): Promise<Tensor> {
  const out = (await stages.run('face_encoder', { motion: f32(motion, [1, n, motion.length / n]) })).face_tokens;
  if (!out) throw new Error('the face encoder returned no face_tokens');
  return out;
}

/**
 * The unconditional branch's face tokens (CFG): every face pixel -1 (RGB 0). The motion encoder
 * sees each frame alone, so one frame's motion stands for all n; the same for every clip.
 */
export async function uncondFaceTokens(stages: AnimateStages, n: number, S: number): Promise<Tensor> {
  const one = await faceMotion(stages, new Uint8Array(S * S * 3), 1, S);
  const motion = new Float32Array(n * one.length);
  for (let i = 0; i < n; i++) motion.set(one, i * one.length);
  return faceTokens(stages, motion, n);
}
