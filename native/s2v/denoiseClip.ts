import { GaussianNoise } from '../../common/random/gaussianNoise';
import type { S2vJob } from '../../common/s2v/s2vJob';
import { createSolver, guide } from '../samplers/flowSolvers';
import { samplingTimesteps } from '../samplers/schedule';
import type { ClipConditions, S2vDit } from './s2vDit';
import type { StepProgress } from './stepProgress';
import { f32 } from './tensors';

/** Clip r's starting noise: the studio's documented generator (common/random/gaussianNoise) seeded with seed + r. */
export const clipNoise = (seed: number, clip: number, n: number): Float32Array => new GaussianNoise(seed + clip).fill(n);

/**
 * One clip's sampling run: noise from the clip's own seed (seed + clip), then the flow-matching
 * solver with classifier-free guidance (the unconditional branch only when guideScale > 1). The
 * DiT gets the official integer timesteps (float64 sigmas x 1000, truncated). Returns the clean
 * latents [1, 16, LT, h, w].
 */
export async function denoiseClip(
  dit: S2vDit,
  job: S2vJob,
  clip: number,
  latentDims: [number, number, number, number, number],
  conditions: ClipConditions,
  run: { progress: StepProgress; checkCancel: () => void },
): Promise<Float32Array> {
  const solver = createSolver(job.solver, job.steps, job.shift);
  const timesteps = samplingTimesteps(job.solver, job.steps, job.shift);
  let x = clipNoise(job.seed, clip, latentDims.reduce((a, b) => a * b, 1));
  dit.newClip();
  for (let i = 0; i < job.steps; i++) {
    run.checkCancel();
    const t0 = performance.now();
    const latents = f32(x, latentDims);
    const timestep = f32(Float32Array.of(timesteps[i]!), [1]);
    const vc = await dit.velocity('cond', latents, timestep, conditions);
    const vu = job.guideScale > 1 ? await dit.velocity('uncond', latents, timestep, conditions) : null;
    x = solver.step(guide(vc, vu, job.guideScale), x);
    run.progress.stepTook(performance.now() - t0);
    run.progress.report('Sampling', clip, i + 1);
  }
  return x;
}
