import { toRgb } from '../wan/rgbFrames';
import type { S2vPack } from './s2vPack';
import { concatTime, data, f32 } from '../wan/tensors';

/**
 * VAE-decodes a clip's latents behind their prefix (clip 0 dropping its motion: the reference
 * latent; otherwise the motion latents) and keeps the last `frames` decoded frames, as packed
 * RGB24. The decoder graph carries its causal caches inside (one latent at a time), so its memory
 * is the clip's input and output, not more.
 */
export async function decodeClip(
  pack: S2vPack,
  prefix: { latents: Float32Array; t: number },
  x: Float32Array,
  size: { LT: number; h: number; w: number; H: number; W: number },
  frames: number,
): Promise<Buffer> {
  const { LT, h, w, H, W } = size;
  const decodedT = 4 * (prefix.t + LT - 1) + 1;
  const latents = f32(concatTime(prefix.latents, prefix.t, x, LT, 16, h * w), [1, 16, prefix.t + LT, h, w]);
  const out = (await pack.sessions.run('vae_decoder', { latents })).pixels;
  await pack.sessions.done('vae_decoder');
  if (out?.dims[2] !== decodedT) throw new Error(`the VAE decoder returned ${String(out?.dims[2])} frames for ${prefix.t + LT} latents; 1 + 4 x ${prefix.t + LT - 1} = ${decodedT} expected`);
  return toRgb(data(out, 'pixels'), decodedT, decodedT - frames, frames, H * W);
}
