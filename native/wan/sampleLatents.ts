import type { SolverName } from '../../common/samplers/solverNames';
import { createSolver, guide } from '../samplers/flowSolvers';
import { samplingTimesteps } from '../samplers/schedule';
import type { StepProgress } from './stepProgress';
import { f32, type Tensor } from './tensors';

export type Branch = 'cond' | 'uncond';

export interface SamplingSettings {
  solver: SolverName;
  steps: number;
  shift: number;
  guideScale: number;
}

/** The DiT's velocity for one CFG branch at one step. */
export type Velocity = (branch: Branch, latents: Tensor, timestep: Tensor) => Promise<Float32Array>;

/**
 * One clip's sampling run from its starting noise: the flow-matching solver with classifier-free
 * guidance (the unconditional branch only when guideScale > 1). The DiT gets the official integer
 * timesteps (float64 sigmas x 1000, truncated). Returns the clean latents, shaped like the noise.
 */
export async function sampleLatents(
  noise: Float32Array,
  dims: number[],
  s: SamplingSettings,
  velocity: Velocity,
  run: { clip: number; progress: StepProgress; checkCancel: () => void },
): Promise<Float32Array> {
  const solver = createSolver(s.solver, s.steps, s.shift);
  const timesteps = samplingTimesteps(s.solver, s.steps, s.shift);
  let x = noise;
  // Said before the first step, which can take minutes: the stage before it would otherwise stay on screen.
  run.progress.report('Sampling', run.clip, 0);
  for (let i = 0; i < s.steps; i++) {
    run.checkCancel();
    const t0 = performance.now();
    const latents = f32(x, dims);
    const timestep = f32(Float32Array.of(timesteps[i]!), [1]);
    const vc = await velocity('cond', latents, timestep);
    const vu = s.guideScale > 1 ? await velocity('uncond', latents, timestep) : null;
    x = solver.step(guide(vc, vu, s.guideScale), x);
    run.progress.stepTook(performance.now() - t0);
    run.progress.report('Sampling', run.clip, i + 1);
  }
  return x;
}
