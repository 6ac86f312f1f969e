import type { PackSessions } from '../ort/packSessions';
import { toRgb } from './rgbFrames';
import { concatTime, data, f32 } from './tensors';

/**
 * VAE-decodes a clip's latents behind their prefix (clip 0: the reference latent; later clips: the
 * motion latents) and keeps the last `frames` decoded frames, as packed RGB24.
 */
export async function decodeClip(
  sessions: PackSessions,
  prefix: { latents: Float32Array; t: number },
  x: Float32Array,
  size: { LT: number; h: number; w: number; H: number; W: number },
  frames: number,
): Promise<Buffer> {
  const { LT, h, w, H, W } = size;
  const decodedT = 4 * (prefix.t + LT - 1) + 1;
  const latents = f32(concatTime(prefix.latents, prefix.t, x, LT, 16, h * w), [1, 16, prefix.t + LT, h, w]);
  const pixels = data((await sessions.run('vae_decoder', { latents })).pixels, 'pixels');
  await sessions.done('vae_decoder');
  return toRgb(pixels, decodedT, decodedT - frames, frames, H * W);
}
