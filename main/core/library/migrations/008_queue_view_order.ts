import type { Migration } from './types';

/**
 * The queue page's order (running, then waiting by position, then ended newest first) as an index
 * on the very expressions of its ORDER BY: SQLite then walks the index and stops after one page,
 * instead of sorting every job in the library on each call.
 */
export const queueViewOrder: Migration = {
  version: 8,
  name: 'index in the queue page order',
  up: `
    CREATE INDEX jobs_by_queue_view ON jobs (
      CASE status WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END,
      CASE status WHEN 'running' THEN started_at WHEN 'queued' THEN queue_pos ELSE -coalesce(finished_at, created_at) END
    ) WHERE dismissed = 0;
  `,
};
