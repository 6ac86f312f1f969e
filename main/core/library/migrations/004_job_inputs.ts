import type { Migration } from './types';

/**
 * What a job renders from, frozen when it is queued: the asset ids and trims (the editor may
 * change afterwards, and a restarted job must render what was asked), the input length in
 * seconds and a size key (for ETAs from past jobs of the same app and size), and the last
 * stage and log lines for the job list.
 */
export const jobInputs: Migration = {
  version: 4,
  name: 'job inputs, size and log',
  up: `
    ALTER TABLE jobs ADD COLUMN inputs_json TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE jobs ADD COLUMN input_seconds REAL;
    ALTER TABLE jobs ADD COLUMN size_key TEXT;
    ALTER TABLE jobs ADD COLUMN log_tail TEXT NOT NULL DEFAULT '';
  `,
};
