import { GaussianNoise } from '../../common/random/gaussianNoise';

/**
 * The job's noise, as the official single generator seeded once (wan/animate.py seed_g): clip k's
 * starting latents are the next `perClip` draws (16 x (latT + 1) x h x w, the reference latent's
 * first). A resumed job skips the finished clips' draws, so every clip gets the same noise as in an
 * uninterrupted run.
 */
export class NoiseStream {
  private readonly gen: GaussianNoise;

  constructor(
    seed: number,
    private readonly perClip: number,
  ) {
    this.gen = new GaussianNoise(seed);
  }

  nextClip(): Float32Array {
    return this.gen.fill(this.perClip);
  }

  /** Draws and drops a clip's worth, without holding it. */
  skipClip(): void {
    for (let i = 0; i < this.perClip; i++) this.gen.normal();
  }
}
