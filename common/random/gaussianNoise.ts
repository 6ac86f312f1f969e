/**
 * Seeded Gaussian noise for latents, reproducible across machines and runs: the same seed gives
 * the same noise everywhere. The generator is documented so an exporter or another tool can
 * reproduce it exactly:
 *   - seeding: splitmix32 applied four times to the 32-bit seed gives xoshiro128** its state
 *     (an all-zero state is replaced by splitmix32 of 1);
 *   - uniforms: xoshiro128** 32-bit outputs, u = (out + 0.5) / 2^32, never 0 or 1;
 *   - normals: Box-Muller, z0 = sqrt(-2 ln u1) cos(2 pi u2), then z1 = ... sin(...), in that order.
 * It is not PyTorch's generator: a seed here does not reproduce a torch.manual_seed render.
 */
export class GaussianNoise {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0;
    const splitmix32 = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** xoshiro128**: one 32-bit output. */
  nextUint32(): number {
    const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  uniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const a = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }

  /** A latent's worth of noise. */
  fill(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }
}
