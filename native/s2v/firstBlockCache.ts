/**
 * First block cache (research/wan22.md §4.1): the split DiT's block 0 runs every step; when its
 * residual changed little (relative L1 against the last fully computed step, updated on misses
 * only, as ParaAttention does) the rest of the network is skipped and its cached contribution
 * `velocity - hidden` reused. One instance per CFG branch.
 */
export class FirstBlockCache {
  private reference: Float32Array | null = null;
  private restDelta: Float32Array | null = null;
  hits = 0;
  misses = 0;

  constructor(private readonly threshold: number) {}

  /** True when the cached rest may stand in for this step. */
  shouldReuse(firstResidual: Float32Array): boolean {
    const ref = this.reference;
    if (this.threshold <= 0 || !ref || !this.restDelta || ref.length !== firstResidual.length) return false;
    let diff = 0;
    let base = 0;
    for (let i = 0; i < ref.length; i++) {
      diff += Math.abs((firstResidual[i] as number) - (ref[i] as number));
      base += Math.abs(ref[i] as number);
    }
    return base > 0 && diff / base < this.threshold;
  }

  /** The velocity from the cached rest: hidden + (velocity - hidden) of the last full step. */
  reuse(hidden: Float32Array): Float32Array {
    const delta = this.restDelta as Float32Array;
    const out = new Float32Array(hidden.length);
    for (let i = 0; i < out.length; i++) out[i] = (hidden[i] as number) + (delta[i] as number);
    this.hits++;
    return out;
  }

  /** After a full step: remember block 0's residual and the rest's contribution. */
  store(firstResidual: Float32Array, hidden: Float32Array, velocity: Float32Array): void {
    this.reference = firstResidual.slice();
    const delta = new Float32Array(velocity.length);
    for (let i = 0; i < delta.length; i++) delta[i] = (velocity[i] as number) - (hidden[i] as number);
    this.restDelta = delta;
    this.misses++;
  }
}
