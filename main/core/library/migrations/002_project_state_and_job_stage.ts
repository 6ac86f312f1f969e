import type { Migration } from './types';

/**
 * Editors keep non-destructive state per project (trims, parameter drafts), and jobs report a
 * finer stage ("uploading", "decoding chunk 3/8") than their coarse status.
 */
export const projectStateAndJobStage: Migration = {
  version: 2,
  name: 'project editor state, job stage, queue index',
  up: `
    ALTER TABLE projects ADD COLUMN state_json TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE jobs ADD COLUMN stage TEXT;
    CREATE INDEX jobs_by_status ON jobs (status, created_at);
  `,
};
