import type { SolverName } from '../../common/samplers/solverNames';

/**
 * Flow-matching noise schedules as Wan uses them (research/wan22.md §3.1). A sample at noise level
 * sigma is x = (1 - sigma) * x0 + sigma * eps; the DiT predicts the velocity v = eps - x0.
 */

export const NUM_TRAIN_TIMESTEPS = 1000;

/** The shift map: spends more steps at high noise as shift grows. */
export const shiftSigma = (s: number, shift: number): number => (shift * s) / (1 + (shift - 1) * s);

/**
 * numpy.linspace(start, stop, num) value by value: `start + i * ((stop - start) / (num - 1))`, the
 * last value exactly `stop`. Written the way numpy evaluates it so the float64 results match bit for bit.
 */
const linspace = (a: number, b: number, n: number): number[] => {
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (n > 1 && i === n - 1 ? b : i * step + a));
};

/**
 * UniPC's first sigma: Wan's FlowUniPCMultistepScheduler reads `sigmas[0].item()` of a float32
 * tensor holding 1 - 0.001, so the run starts at float32(0.999) = 0.9990000128746033.
 */
const UNIPC_SIGMA_MAX = Math.fround(1 - 0.001);

export type { SolverName };

/**
 * The sampling sigmas in float64, `steps` values without the final 0, as Wan's schedulers hold them
 * before any cast: linspace over [sigma_max, 0] in float64, then the shift map in float64.
 * UniPC starts at float32(0.999); DPM++ and Euler at 1.0 (wan/utils/fm_solvers.py get_sampling_sigmas).
 */
function float64Sigmas(solver: SolverName, steps: number, shift: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps ${steps}: must be a whole number of at least 1`);
  const start = solver === 'unipc' ? UNIPC_SIGMA_MAX : 1;
  return linspace(start, 0, steps + 1)
    .slice(0, steps)
    .map((s) => shiftSigma(s, shift));
}

/**
 * The sigmas the solver math uses, `steps + 1` values ending in 0. Wan casts them to float32
 * (`np.concatenate([sigmas, [0]]).astype(np.float32)`) after taking the timesteps; round the same way.
 */
export function samplingSigmas(solver: SolverName, steps: number, shift: number): Float64Array {
  const sigmas = new Float64Array(steps + 1);
  float64Sigmas(solver, steps, shift).forEach((s, i) => (sigmas[i] = Math.fround(s)));
  sigmas[steps] = 0;
  return sigmas;
}

/**
 * The integer timesteps the DiT is given. Wan takes `sigmas * num_train_timesteps` in float64 and
 * converts to int64 (truncation) BEFORE the sigmas are cast to float32
 * (research/wan-export.md, "Sampler timesteps"); truncating the float32-rounded sigmas instead
 * gives some timesteps off by one (3 of 40 at shift 3 with dpm++).
 */
export function samplingTimesteps(solver: SolverName, steps: number, shift: number): number[] {
  return float64Sigmas(solver, steps, shift).map((s) => Math.trunc(s * NUM_TRAIN_TIMESTEPS));
}

/** Half the log signal-to-noise ratio: ln(alpha) - ln(sigma); -inf at sigma 1, +inf at sigma 0. */
export function lambdaOf(sigma: number): number {
  if (sigma >= 1) return -Infinity;
  if (sigma <= 0) return Infinity;
  return Math.log(1 - sigma) - Math.log(sigma);
}
