/**
 * The temporal-guidance mask of wan/animate.py (get_i2v_mask) and the replacement mask at latent
 * size. Masks are planar float32: [frames, h * w].
 */

/**
 * Folds a per-frame mask of T = 1 + 4(latT - 1) frames into the DiT's 4 mask channels [4, latT, hw]:
 * frames [0, maskLen) set to 1 (the guidance frames), frame 0 repeated four times, then channel c of
 * latent frame l is folded frame 4l + c. `perFrame` null is all zeros (animation mode).
 */
export function foldI2vMask(perFrame: Float32Array | null, T: number, hw: number, maskLen: number): Float32Array {
  if ((T - 1) % 4 !== 0) throw new RangeError(`a clip of ${T} frames is not 4n+1`);
  if (perFrame && perFrame.length !== T * hw) throw new RangeError(`the mask has ${perFrame.length} values; ${T} frames of ${hw} expected`);
  const latT = (T - 1) / 4 + 1;
  const out = new Float32Array(4 * latT * hw);
  for (let c = 0; c < 4; c++) {
    for (let l = 0; l < latT; l++) {
      const frame = Math.max(0, 4 * l + c - 3);
      const dst = (c * latT + l) * hw;
      if (frame < maskLen) out.fill(1, dst, dst + hw);
      else if (perFrame) out.set(perFrame.subarray(frame * hw, (frame + 1) * hw), dst);
    }
  }
  return out;
}

/**
 * Replacement mode: 1 - mask / 255 for each of `frames` gray8 W x H mask frames, at latent size
 * (H/8 x W/8) by torch's nearest (pixel 8y, 8x): 1 where the background is kept, 0 on the character.
 */
export function latentKeepMask(gray: Uint8Array, frames: number, W: number, H: number): Float32Array {
  const h = H / 8;
  const w = W / 8;
  const out = new Float32Array(frames * h * w);
  for (let f = 0; f < frames; f++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) out[(f * h + y) * w + x] = 1 - gray[f * W * H + 8 * y * W + 8 * x]! / 255;
    }
  }
  return out;
}
