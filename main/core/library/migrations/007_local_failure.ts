import type { Migration } from './types';

/**
 * Why the local engine failed a job, when the studio knows it as data: it ran out of memory
 * ('out_of_memory') or its execution provider broke ('provider'). An "Automatic" job that fails so
 * is re-routed to the cloud when the user allowed cloud fallback; the column keeps what happened
 * on this computer after the cloud has run it. (failure_kind keeps its CHECK; SQLite cannot widen
 * a CHECK without rebuilding the jobs table, which outputs reference.)
 */
export const localFailure: Migration = {
  version: 7,
  name: 'local failure cause; indexes for the queue page and ETAs',
  up: `
    ALTER TABLE jobs ADD COLUMN local_failure TEXT CHECK (local_failure IN ('out_of_memory', 'provider'));
    -- The queue page looks up each finished job's output, and every ETA reads the recent finished
    -- jobs of one app, engine and size: without these, both scan the whole table per row.
    CREATE INDEX outputs_by_job ON outputs (job_id);
    CREATE INDEX jobs_by_history ON jobs (app, engine, size_key, finished_at) WHERE status = 'completed';
  `,
};
