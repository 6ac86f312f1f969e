import { fromRgb } from '../wan/rgbFrames';
import type { S2vPack } from './s2vPack';
import { data, f32 } from '../wan/tensors';

/**
 * The frames that carry one clip into the next: `frames` (73) grey frames at first, then the last
 * 73 frames of the video so far, VAE-encoded into the motion latents the next clip is conditioned on.
 */
export class MotionBuffer {
  private readonly pixels: Float32Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly frames: number,
  ) {
    this.pixels = new Float32Array(3 * frames * width * height);
  }

  /** Appends the newest frames of `n` packed RGB24 frames, dropping the oldest. */
  push(rgb: Buffer, n: number): void {
    const hw = this.width * this.height;
    const T = this.frames;
    const keep = Math.min(T, n);
    // Shift the buffer left by `keep` frames and append the newest `keep`.
    for (let c = 0; c < 3; c++) {
      const base = c * T * hw;
      this.pixels.copyWithin(base, base + keep * hw, base + T * hw);
    }
    fromRgb(rgb.subarray((n - keep) * hw * 3), keep, hw, this.pixels, T, T - keep);
  }

  async encode(pack: S2vPack): Promise<Float32Array> {
    const out = await pack.sessions.run('vae_encoder', { pixels: f32(this.pixels, [1, 3, this.frames, this.height, this.width]) });
    return data(out.latents, 'motion latents');
  }
}
