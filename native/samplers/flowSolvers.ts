import { lambdaOf, samplingSigmas, type SolverName } from './schedule';

/**
 * Flow-matching ODE solvers for Wan's sampling loop (research/wan22.md §3.2-3.3): Euler, DPM++ 2M
 * (dpmsolver++, midpoint, lower order at the final step) and UniPC bh2 (order 2 predictor with a
 * UniC corrector). Each `step` takes the model's velocity at the current sigma and the current
 * latent, and returns the latent at the next sigma; the final step returns the x0 prediction.
 * The math runs in float64 per element; latents are float32 like the model's tensors.
 */
export interface FlowSolver {
  readonly sigmas: Float64Array;
  /** The step about to be taken (0-based). */
  readonly index: number;
  readonly done: boolean;
  step(v: Float32Array, x: Float32Array): Float32Array;
}

/**
 * A few reusable latent-sized buffers, handed out in turn. A fresh 1 MB+ Float32Array per use cost
 * more than the arithmetic (zeroing and GC); each solver keeps just as many as its history needs,
 * so a buffer is reused only after nothing reads it any more.
 */
class BufferRing {
  private readonly slots: Array<Float32Array | undefined>;
  private at = 0;
  constructor(count: number) {
    this.slots = new Array<Float32Array | undefined>(count);
  }
  next(n: number): Float32Array {
    let b = this.slots[this.at];
    if (!b || b.length !== n) this.slots[this.at] = b = new Float32Array(n);
    this.at = (this.at + 1) % this.slots.length;
    return b;
  }
}

const x0From = (x: Float32Array, v: Float32Array, sigma: number, into: Float32Array): Float32Array => {
  for (let k = 0; k < x.length; k++) into[k] = (x[k] as number) - sigma * (v[k] as number);
  return into;
};

function checkShapes(v: Float32Array, x: Float32Array): void {
  if (v.length !== x.length) throw new RangeError(`velocity has ${v.length} values but the latent has ${x.length}`);
}

abstract class BaseSolver implements FlowSolver {
  index = 0;
  constructor(readonly sigmas: Float64Array) {}
  get done(): boolean {
    return this.index >= this.sigmas.length - 1;
  }
  step(v: Float32Array, x: Float32Array): Float32Array {
    if (this.done) throw new RangeError('the sampling run is already finished');
    checkShapes(v, x);
    const out = this.advance(v, x);
    this.index++;
    return out;
  }
  protected abstract advance(v: Float32Array, x: Float32Array): Float32Array;
}

/** First order: x_next = x + (sigma_next - sigma) * v. */
export class EulerSolver extends BaseSolver {
  private readonly outs = new BufferRing(2);
  protected advance(v: Float32Array, x: Float32Array): Float32Array {
    const i = this.index;
    const dt = (this.sigmas[i + 1] as number) - (this.sigmas[i] as number);
    const out = this.outs.next(x.length);
    for (let k = 0; k < x.length; k++) out[k] = (x[k] as number) + dt * (v[k] as number);
    return out;
  }
}

/** DPM-Solver++ 2M in data prediction, midpoint form; first order at the first and the last step. */
export class DpmPlusPlus2M extends BaseSolver {
  private prev: Float32Array | null = null;
  private readonly ms = new BufferRing(2); // this step's and the previous step's x0 prediction
  private readonly outs = new BufferRing(2); // the latent returned now, and the one passed in

  protected advance(v: Float32Array, x: Float32Array): Float32Array {
    const i = this.index;
    const s0 = this.sigmas[i] as number;
    const t = this.sigmas[i + 1] as number;
    const m0 = x0From(x, v, s0, this.ms.next(x.length));
    const last = i === this.sigmas.length - 2;
    const m1 = this.prev;
    this.prev = m0;
    if (t === 0) return m0; // exp(-h) = 0 and sigma_t = 0: the x0 prediction itself.
    const h = lambdaOf(t) - lambdaOf(s0);
    const emh = Number.isFinite(h) ? Math.exp(-h) : 0; // s0 = 1: lambda(s0) = -inf, h = +inf.
    const alphaT = 1 - t;
    const ratio = s0 > 0 ? t / s0 : 0;
    const out = this.outs.next(x.length);
    if (!m1 || last) {
      for (let k = 0; k < x.length; k++) out[k] = ratio * (x[k] as number) - alphaT * (emh - 1) * (m0[k] as number);
      return out;
    }
    const s1 = this.sigmas[i - 1] as number;
    const h0 = lambdaOf(s0) - lambdaOf(s1);
    // s1 = 1 makes h0 infinite and D1 zero: the step reduces to first order.
    const d1Scale = Number.isFinite(h0) && h0 !== 0 ? h / h0 : 0;
    for (let k = 0; k < x.length; k++) {
      const d0 = m0[k] as number;
      const d1 = d1Scale * (d0 - (m1[k] as number));
      out[k] = ratio * (x[k] as number) - alphaT * (emh - 1) * (d0 + 0.5 * d1);
    }
    return out;
  }
}

/** UniPC (bh2), order 2 with the UniC corrector; lower order at the start and the final step. */
export class UniPcBh2 extends BaseSolver {
  private readonly history: Float32Array[] = []; // x0 predictions, newest last (at most 2)
  private lastSample: Float32Array | null = null;
  private thisOrder = 1;
  private lowerOrderNums = 0;
  private readonly ms = new BufferRing(3); // two x0 predictions in the history plus the new one
  private readonly corrected = new BufferRing(2); // this step's corrected sample and lastSample
  private readonly outs = new BufferRing(2); // the latent returned now, and the one passed in

  protected advance(v: Float32Array, xIn: Float32Array): Float32Array {
    const i = this.index;
    const sig = this.sigmas;
    const si = sig[i] as number;
    const mNew = x0From(xIn, v, si, this.ms.next(xIn.length)); // from the uncorrected sample, as Wan does
    let x = xIn;

    // Corrector (UniC): refine x at sigma_i using the new x0 prediction.
    if (i > 0 && this.lastSample) {
      const s = sig[i - 1] as number;
      const m0 = this.history[this.history.length - 1] as Float32Array;
      const h = lambdaOf(si) - lambdaOf(s);
      const hh = -h;
      const phi1 = Math.expm1(hh);
      const B = phi1;
      const alphaI = 1 - si;
      const ratio = si / s;
      const g1 = phi1 / hh - 1;
      const b1 = g1 / B;
      const g2 = g1 / hh - 0.5;
      const b2 = (2 * g2) / B;
      const out = this.corrected.next(x.length);
      const prev = this.lastSample;
      if (this.thisOrder === 2 && this.history.length === 2) {
        const m1 = this.history[0] as Float32Array;
        const r1 = (lambdaOf(sig[i - 2] as number) - lambdaOf(s)) / h;
        // [[1, 1], [r1, 1]] * rho = [b1, b2]
        const det = 1 - r1;
        const rho0 = (b1 - b2) / det;
        const rho1 = (b2 - r1 * b1) / det;
        for (let k = 0; k < x.length; k++) {
          const m0k = m0[k] as number;
          const base = ratio * (prev[k] as number) - alphaI * phi1 * m0k;
          const d1 = ((m1[k] as number) - m0k) / r1;
          out[k] = base - alphaI * B * (rho0 * d1 + rho1 * ((mNew[k] as number) - m0k));
        }
      } else {
        for (let k = 0; k < x.length; k++) {
          const m0k = m0[k] as number;
          const base = ratio * (prev[k] as number) - alphaI * phi1 * m0k;
          out[k] = base - alphaI * B * 0.5 * ((mNew[k] as number) - m0k);
        }
      }
      x = out;
    }

    this.history.push(mNew);
    if (this.history.length > 2) this.history.shift();
    const steps = sig.length - 1;
    this.thisOrder = Math.min(2, steps - i, this.lowerOrderNums + 1);
    this.lastSample = x;

    // Predictor (UniP) from sigma_i to sigma_{i+1}.
    const t = sig[i + 1] as number;
    if (this.lowerOrderNums < 2) this.lowerOrderNums++;
    if (t === 0) return mNew; // hh = -inf, phi1 = -1, first order: the x0 prediction.
    const h = lambdaOf(t) - lambdaOf(si);
    const phi1 = Math.expm1(-h);
    const alphaT = 1 - t;
    const ratio = t / si;
    const out = this.outs.next(x.length);
    if (this.thisOrder === 2 && this.history.length === 2) {
      const mPrev = this.history[0] as Float32Array;
      const r1 = (lambdaOf(sig[i - 1] as number) - lambdaOf(si)) / h;
      for (let k = 0; k < x.length; k++) {
        const m = mNew[k] as number;
        const d1 = ((mPrev[k] as number) - m) / r1;
        out[k] = ratio * (x[k] as number) - alphaT * phi1 * m - alphaT * phi1 * 0.5 * d1;
      }
    } else {
      for (let k = 0; k < x.length; k++) out[k] = ratio * (x[k] as number) - alphaT * phi1 * (mNew[k] as number);
    }
    return out;
  }
}

export function createSolver(name: SolverName, steps: number, shift: number): FlowSolver {
  const sigmas = samplingSigmas(name, steps, shift);
  switch (name) {
    case 'euler':
      return new EulerSolver(sigmas);
    case 'dpm++':
      return new DpmPlusPlus2M(sigmas);
    case 'unipc':
      return new UniPcBh2(sigmas);
  }
}

/**
 * Classifier-free guidance: uncond + g * (cond - uncond), only when g > 1 (else one DiT call per
 * step). Written into `vCond` (the model's fresh output, read by nothing else) to spare a buffer.
 */
export function guide(vCond: Float32Array, vUncond: Float32Array | null, scale: number): Float32Array {
  if (scale <= 1 || !vUncond) return vCond;
  checkShapes(vCond, vUncond);
  for (let k = 0; k < vCond.length; k++) {
    const u = vUncond[k] as number;
    vCond[k] = u + scale * ((vCond[k] as number) - u);
  }
  return vCond;
}
