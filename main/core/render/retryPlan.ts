import type { JobRecord } from '../library/jobRepository';
import type { Library } from '../library/library';
import { MAX_LOCAL_AUDIO_SEC } from '../engines/local/localEngine';

export interface RetryPlan {
  /** Only a failed job can be retried. */
  canRetry: boolean;
  /**
   * Forget the remote task and submit anew: its task itself failed or was cancelled on the
   * service. Any other failure (network, timeout, download, disk) follows the task already paid
   * for, or looks up the run that was being requested.
   */
  resubmit: boolean;
}

/** Decided from the stored failure kind, never from the error text. */
export function retryPlan(job: Pick<JobRecord, 'status' | 'failureKind'>): RetryPlan {
  const canRetry = job.status === 'failed';
  return { canRetry, resubmit: canRetry && (job.failureKind === 'remote_task_failed' || job.failureKind === 'remote_task_cancelled') };
}

/**
 * Why retrying this failed job cannot help, or null when it can: a retry renders the same
 * frozen inputs on the same engine, so an input that is gone, or one over that engine's limit,
 * fails again. The page then offers "Render again" (from the editor) instead of Retry.
 */
export function retryBlocker(library: Library, job: Pick<JobRecord, 'status' | 'engine' | 'app' | 'inputs' | 'inputSeconds'>): string | null {
  if (job.status !== 'failed') return null;
  const ids = [job.inputs.imageAssetId, job.inputs.audioAssetId, job.inputs.videoAssetId].filter((id): id is string => !!id);
  if (ids.some((id) => !library.assets.find(id))) return 'A file this render used was removed from the project.';
  if (job.engine === 'local' && job.app === 's2v' && (job.inputSeconds ?? 0) > MAX_LOCAL_AUDIO_SEC) {
    return `Its audio is longer than the ${MAX_LOCAL_AUDIO_SEC / 60} minutes a render on this computer takes.`;
  }
  return null;
}
