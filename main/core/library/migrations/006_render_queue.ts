import type { Migration } from './types';

/**
 * The render queue as data, so a restart restores exactly what the user left: each job's place
 * (queue_pos; the waiting jobs in ascending order are the queue), whether the user holds it
 * (paused), whether it was cleared from the queue view (dismissed; it stays in its project's
 * renders), the engine the user chose (engine_choice, 'auto' is decided when the job starts) and
 * why the engine that ran it was picked (route_reason). Batches of variations group jobs, each
 * labelled with what differs. queue_state holds "hold the whole queue".
 */
export const renderQueue: Migration = {
  version: 6,
  name: 'render queue: positions, pauses, routing, batches',
  up: `
    ALTER TABLE jobs ADD COLUMN queue_pos INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
    ALTER TABLE jobs ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1));
    ALTER TABLE jobs ADD COLUMN engine_choice TEXT NOT NULL DEFAULT 'cloud' CHECK (engine_choice IN ('auto', 'local', 'cloud'));
    ALTER TABLE jobs ADD COLUMN route_reason TEXT;
    ALTER TABLE jobs ADD COLUMN batch_id TEXT;
    ALTER TABLE jobs ADD COLUMN batch_label TEXT;
    UPDATE jobs SET engine_choice = engine, queue_pos = rowid;
    CREATE INDEX jobs_by_queue ON jobs (status, queue_pos);
    CREATE INDEX jobs_by_batch ON jobs (batch_id) WHERE batch_id IS NOT NULL;

    CREATE TABLE batches (
      id          TEXT PRIMARY KEY,
      project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      name        TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    );

    CREATE TABLE queue_state (
      id      INTEGER PRIMARY KEY CHECK (id = 1),
      paused  INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
    );
    INSERT INTO queue_state (id, paused) VALUES (1, 0);
  `,
};
