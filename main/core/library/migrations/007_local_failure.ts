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
  name: 'local failure cause',
  up: `
    ALTER TABLE jobs ADD COLUMN local_failure TEXT CHECK (local_failure IN ('out_of_memory', 'provider'));
  `,
};
