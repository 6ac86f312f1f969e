import { GaussianNoise } from '../../common/random/gaussianNoise';
import type { S2vJob } from '../../common/s2v/s2vJob';
import { sampleLatents } from '../wan/sampleLatents';
import type { StepProgress } from '../wan/stepProgress';
import type { ClipConditions, S2vDit } from './s2vDit';

/** Clip r's starting noise: the studio's documented generator (common/random/gaussianNoise) seeded with seed + r. */
export const clipNoise = (seed: number, clip: number, n: number): Float32Array => new GaussianNoise(seed + clip).fill(n);

/**
 * One clip's sampling run: noise from the clip's own seed (seed + clip), then the shared
 * flow-matching loop (native/wan/sampleLatents). Returns the clean latents [1, 16, LT, h, w].
 */
export async function denoiseClip(
  dit: S2vDit,
  job: S2vJob,
  clip: number,
  latentDims: [number, number, number, number, number],
  conditions: ClipConditions,
  run: { progress: StepProgress; checkCancel: () => void },
): Promise<Float32Array> {
  const noise = clipNoise(job.seed, clip, latentDims.reduce((a, b) => a * b, 1));
  dit.newClip();
  return sampleLatents(noise, latentDims, job, (branch, latents, timestep) => dit.velocity(branch, latents, timestep, conditions), { ...run, clip });
}
