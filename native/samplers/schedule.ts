import type { SolverName } from '../../common/samplers/solverNames';

/**
 * Flow-matching noise schedules as Wan uses them (research/wan22.md §3.1). A sample at noise level
 * sigma is x = (1 - sigma) * x0 + sigma * eps; the DiT predicts the velocity v = eps - x0.
 */

export const NUM_TRAIN_TIMESTEPS = 1000;

/** The shift map: spends more steps at high noise as shift grows. */
export const shiftSigma = (s: number, shift: number): number => (shift * s) / (1 + (shift - 1) * s);

const linspace = (a: number, b: number, n: number): number[] => Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));

export type { SolverName };

/**
 * The sigmas of a sampling run, `steps + 1` values ending in 0.
 * UniPC starts at 0.999 (as Wan's FlowUniPCMultistepScheduler.set_timesteps); DPM++ and Euler at 1.0.
 */
export function samplingSigmas(solver: SolverName, steps: number, shift: number): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps ${steps}: must be a whole number of at least 1`);
  const base = solver === 'unipc' ? linspace(0.999, 0, steps + 1).slice(0, steps) : linspace(1, 0, steps + 1).slice(0, steps);
  // Wan computes these in float32; round the same way so the timesteps truncate alike.
  const sigmas = new Float64Array(steps + 1);
  base.forEach((s, i) => (sigmas[i] = Math.fround(shiftSigma(s, shift))));
  sigmas[steps] = 0;
  return sigmas;
}

/** The integer timesteps the DiT is given: sigma * 1000, truncated (int64 of a float64 product). */
export function timestepsOf(sigmas: Float64Array): number[] {
  return Array.from(sigmas.subarray(0, sigmas.length - 1), (s) => Math.trunc(s * NUM_TRAIN_TIMESTEPS));
}

/** Half the log signal-to-noise ratio: ln(alpha) - ln(sigma); -inf at sigma 1, +inf at sigma 0. */
export function lambdaOf(sigma: number): number {
  if (sigma >= 1) return -Infinity;
  if (sigma <= 0) return Infinity;
  return Math.log(1 - sigma) - Math.log(sigma);
}
