import type { JobRecord } from '../library/jobRepository';

/**
 * Why a job cannot be paused now, or null when it can. A waiting job is held in its place. A
 * running local render stops at its next finished clip (checkpointed) and resumes from there. A
 * running cloud render cannot: inference.sh goes on running, and charging for, its task whatever
 * the studio does, so "pause" would only hide a render that is still being paid for.
 */
export function pauseBlocker(job: Pick<JobRecord, 'status' | 'engine'>): string | null {
  if (job.status === 'queued') return null;
  if (job.status !== 'running') return 'Only a waiting or running render can be paused.';
  if (job.engine === 'cloud') return 'A cloud render cannot be paused: inference.sh goes on running its task (and charging for it). Cancel it, or let it finish.';
  return null;
}
