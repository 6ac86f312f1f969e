import type { Migration } from './types';

/**
 * Two facts a job keeps so a restart or a retry never guesses:
 * - `submission_json`: written (with the job's uploaded file URIs) before a cloud run is requested
 *   and cleared when the task id is stored. A job found with it after a crash may have a paid task
 *   the studio never heard of; the restart looks it up by those URIs instead of submitting again.
 * - `failure_kind`: why a failed job failed, as data. A retry decides from it, never from the text.
 */
export const jobSubmissionAndFailure: Migration = {
  version: 5,
  name: 'job submission and failure kind',
  up: `
    ALTER TABLE jobs ADD COLUMN submission_json TEXT;
    ALTER TABLE jobs ADD COLUMN failure_kind TEXT CHECK (failure_kind IN ('remote_task_failed', 'remote_task_cancelled', 'error'));
  `,
};
