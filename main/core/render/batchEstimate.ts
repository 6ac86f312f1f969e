import type { BatchEstimateDto } from '../contract/queueTypes';
import type { JobRecord, JobRepository } from '../library/jobRepository';
import type { EnginePick } from './enginePick';
import { expectedDurationMs, median } from './etaEstimator';
import type { RenderPlan } from './renderPlan';

export interface EstimateInputs {
  plans: readonly RenderPlan[];
  pick: EnginePick;
  choice: JobRecord['engineChoice'];
  cloudFallback: boolean;
  cloudAvailable: boolean;
  cloudConcurrency: number;
}

/**
 * How many cloud renders a batch starts and how long it should take, before anything is queued.
 * Times come from the same estimator as the queue's ETA (median over finished jobs of the same
 * app, engine and size, scaled by input length); no history gives no number, never a guess.
 */
export function estimateBatch(jobs: JobRepository, e: EstimateInputs): BatchEstimateDto {
  const renders = e.plans.length;
  const engine = e.pick.runsOn;
  const cloudRenders = engine === 'cloud' ? renders : 0;
  // An Automatic render meant for this computer goes to the cloud if the GPU is busy when it starts.
  const mayGoToCloud = engine === 'local' && e.choice === 'auto' && e.cloudFallback && e.cloudAvailable ? renders : 0;
  const base: BatchEstimateDto = {
    renders,
    runsOn: engine,
    why: e.pick.why ?? e.pick.reason ?? '',
    cloudRenders,
    mayGoToCloud,
    eachMs: null,
    totalMs: null,
    unestimated: renders,
    pastJobs: 0,
    cloudConcurrency: e.cloudConcurrency,
  };
  if (engine === null) return base;
  const times: number[] = [];
  const shapes = new Set<string>();
  let pastJobs = 0;
  for (const plan of e.plans) {
    const shape = { app: plan.app, engine, sizeKey: plan.sizeKey, inputSeconds: plan.inputSeconds };
    const ms = expectedDurationMs(jobs, shape);
    if (ms !== null) times.push(ms);
    const key = `${plan.app}|${plan.sizeKey ?? ''}`;
    if (!shapes.has(key)) {
      shapes.add(key);
      pastJobs += jobs.recentDurations(plan.app, engine, plan.sizeKey).length;
    }
  }
  if (times.length === 0) return { ...base, pastJobs };
  const sum = times.reduce((a, b) => a + b, 0);
  // Local renders run one after another; cloud renders side by side up to the limit.
  const lanes = engine === 'cloud' ? Math.max(1, Math.min(e.cloudConcurrency, renders)) : 1;
  return { ...base, eachMs: Math.round(median(times)), totalMs: Math.round(sum / lanes), unestimated: renders - times.length, pastJobs };
}
