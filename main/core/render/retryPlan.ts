import type { JobRecord } from '../library/jobRepository';

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
