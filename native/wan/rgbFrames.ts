/** Frames [from, from + n) of a planar [3, T, H, W] float video as packed RGB24, one buffer. */
export function toRgb(pixels: Float32Array, t: number, from: number, n: number, hw: number): Buffer {
  const out = Buffer.allocUnsafe(n * hw * 3);
  // A clamped view rounds and clamps on store: no per-sample Math.round or branches.
  const clamped = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let c = 0; c < 3; c++) {
    for (let f = 0; f < n; f++) {
      const base = c * t * hw + (from + f) * hw;
      let o = f * hw * 3 + c;
      for (let p = 0; p < hw; p++, o += 3) clamped[o] = ((pixels[base + p] as number) + 1) * 127.5;
    }
  }
  return out;
}

/** Packed RGB24 frames into the planar [3, n, H, W] floats in [-1, 1] the VAE encoder takes. */
export function fromRgb(rgb: Buffer, n: number, hw: number, into: Float32Array, t: number, at: number): void {
  for (let c = 0; c < 3; c++) {
    for (let f = 0; f < n; f++) {
      const base = c * t * hw + (at + f) * hw;
      let i = f * hw * 3 + c;
      for (let p = 0; p < hw; p++, i += 3) into[base + p] = (rgb[i] as number) / 127.5 - 1;
    }
  }
}
