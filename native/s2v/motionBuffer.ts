import type { PackSessions } from '../ort/packSessions';
import { MOTION_FRAMES } from './clipPlan';
import { fromRgb } from './rgbFrames';
import { data, f32 } from './tensors';

/**
 * The frames that carry one clip into the next: 73 grey frames at first, then the last 73 frames
 * of the video so far, VAE-encoded into the motion latents the next clip is conditioned on.
 */
export class MotionBuffer {
  private readonly pixels: Float32Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.pixels = new Float32Array(3 * MOTION_FRAMES * width * height);
  }

  /** Appends the newest frames of `n` packed RGB24 frames, dropping the oldest. */
  push(rgb: Buffer, n: number): void {
    const hw = this.width * this.height;
    const keep = Math.min(MOTION_FRAMES, n);
    // Shift the buffer left by `keep` frames and append the newest `keep`.
    for (let c = 0; c < 3; c++) {
      const base = c * MOTION_FRAMES * hw;
      this.pixels.copyWithin(base, base + keep * hw, base + MOTION_FRAMES * hw);
    }
    fromRgb(rgb.subarray((n - keep) * hw * 3), keep, hw, this.pixels, MOTION_FRAMES, MOTION_FRAMES - keep);
  }

  async encode(sessions: PackSessions): Promise<Float32Array> {
    const out = await sessions.run('vae_encoder', { pixels: f32(this.pixels, [1, 3, MOTION_FRAMES, this.height, this.width]) });
    return data(out.latents, 'motion latents');
  }
}
