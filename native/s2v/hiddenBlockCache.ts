/**
 * First block cache for format 2 (docs/model-pack.md, issue 11): the cached unit is block 0 plus
 * audio injector 0 (`dit_first_block`), and reuse is exact in hidden space: when block 0's
 * residual changed little (relative L1 against the last fully computed step, updated on misses
 * only), the hidden state for `dit_head` is `h0 + R`, R being the `rest_residual` dit_rest gave on
 * that step. One instance per CFG branch, since the branches' residuals differ.
 */
export class HiddenBlockCache {
  private reference: Float32Array | null = null;
  private restResidual: Float32Array | null = null;
  hits = 0;
  misses = 0;

  constructor(private readonly threshold: number) {}

  /** True when the cached rest may stand in for this step. */
  shouldReuse(firstResidual: Float32Array): boolean {
    const ref = this.reference;
    if (this.threshold <= 0 || !ref || !this.restResidual || ref.length !== firstResidual.length) return false;
    let diff = 0;
    let base = 0;
    for (let i = 0; i < ref.length; i++) {
      diff += Math.abs(firstResidual[i]! - ref[i]!);
      base += Math.abs(ref[i]!);
    }
    return base > 0 && diff / base < this.threshold;
  }

  /** The hidden state dit_head takes on a reused step: h0 + R. */
  reuse(hidden: Float32Array): Float32Array {
    const r = this.restResidual!;
    if (r.length !== hidden.length) throw new Error(`first block cache: hidden has ${hidden.length} values, the cached residual ${r.length}`);
    const out = new Float32Array(hidden.length);
    for (let i = 0; i < out.length; i++) out[i] = hidden[i]! + r[i]!;
    this.hits++;
    return out;
  }

  /** Forgets the cached step (a new clip); the hit counts stay for the job's report. */
  clear(): void {
    this.reference = null;
    this.restResidual = null;
  }

  /** After a full step: remember block 0's residual and dit_rest's residual. */
  store(firstResidual: Float32Array, restResidual: Float32Array): void {
    this.reference = firstResidual.slice();
    this.restResidual = restResidual.slice();
    this.misses++;
  }
}
