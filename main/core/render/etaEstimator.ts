import type { JobRecord, JobRepository } from '../library/jobRepository';

/**
 * Expected wall time of a job from past finished jobs of the same app, engine and size: the
 * median time per second of input, times this job's input length. No history, no guess.
 */
export function expectedDurationMs(jobs: JobRepository, job: Pick<JobRecord, 'app' | 'engine' | 'sizeKey' | 'inputSeconds'>): number | null {
  const past = jobs.recentDurations(job.app, job.engine, job.sizeKey);
  const perSecond = past.filter((p) => p.ms > 0 && p.inputSeconds && p.inputSeconds > 0).map((p) => p.ms / (p.inputSeconds as number));
  if (perSecond.length > 0 && job.inputSeconds) return median(perSecond) * job.inputSeconds;
  const whole = past.filter((p) => p.ms > 0).map((p) => p.ms);
  return whole.length > 0 ? median(whole) : null;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Time left, never negative; once past the estimate, unknown rather than a lie. */
export function etaFrom(expectedMs: number | null, startedAt: number | null, now = Date.now()): number | null {
  if (expectedMs === null || startedAt === null) return null;
  const left = expectedMs - (now - startedAt);
  return left > 0 ? Math.round(left) : null;
}
