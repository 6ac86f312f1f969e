import { StudioError } from '../contract/errors';
import type { Db } from './database';
import type { JobEngine, JobEngineChoice } from './jobRepository';

/** A waiting job as the scheduler needs it: nothing heavier than what decides whether it starts. */
export interface WaitingJob {
  id: string;
  app: 's2v' | 'animate';
  engine: JobEngine;
  engineChoice: JobEngineChoice;
  paused: boolean;
}

/** The size of waiting jobs, for the total time of what is waiting. */
export interface WaitingShape {
  app: 's2v' | 'animate';
  engine: JobEngine;
  sizeKey: string | null;
  inputSeconds: number | null;
  /** How many waiting jobs have this shape. */
  count: number;
}

/**
 * The queue's order and holds. The waiting jobs (status queued) in ascending queue_pos are the
 * queue; a move rewrites the positions of the waiting jobs in one transaction, so a crash leaves
 * either the old order or the new one.
 */
export class QueueRepository {
  constructor(private readonly db: Db) {}

  /** Every waiting job in queue order, held ones included (they keep their place). */
  waiting(): WaitingJob[] {
    return this.db
      .prepare<[], { id: string; app: 's2v' | 'animate'; engine: JobEngine; engine_choice: JobEngineChoice; paused: number }>(
        `SELECT id, app, engine, engine_choice, paused FROM jobs WHERE status = 'queued' ORDER BY queue_pos, rowid`,
      )
      .all()
      .map((r) => ({ id: r.id, app: r.app, engine: r.engine, engineChoice: r.engine_choice, paused: r.paused === 1 }));
  }

  /** The waiting jobs that are not held, grouped by what their time depends on (a few rows, however long the queue). */
  waitingShapes(): WaitingShape[] {
    return this.db
      .prepare<[], { app: 's2v' | 'animate'; engine: JobEngine; size_key: string | null; input_seconds: number | null; n: number }>(
        `SELECT app, engine, size_key, input_seconds, count(*) AS n FROM jobs WHERE status = 'queued' AND paused = 0
         GROUP BY app, engine, size_key, input_seconds`,
      )
      .all()
      .map((r) => ({ app: r.app, engine: r.engine, sizeKey: r.size_key, inputSeconds: r.input_seconds, count: r.n }));
  }

  /** Puts a waiting job at `index` (0 = next to start) among the waiting jobs. */
  move(jobId: string, index: number): void {
    this.db.transaction(() => {
      const rows = this.db
        .prepare<[], { id: string; queue_pos: number }>(`SELECT id, queue_pos FROM jobs WHERE status = 'queued' ORDER BY queue_pos, rowid`)
        .all();
      const from = rows.findIndex((r) => r.id === jobId);
      if (from < 0) throw new StudioError('conflict', 'Only a waiting render can be moved; this one has already started or ended.');
      const slots = rows.map((r) => r.queue_pos);
      // Positions must be distinct for the order to be exact; repair ties from older rows.
      for (let i = 1; i < slots.length; i++) if ((slots[i] as number) <= (slots[i - 1] as number)) slots[i] = (slots[i - 1] as number) + 1;
      const order = rows.map((r) => r.id);
      order.splice(from, 1);
      order.splice(Math.max(0, Math.min(index, order.length)), 0, jobId);
      const set = this.db.prepare('UPDATE jobs SET queue_pos = ? WHERE id = ?');
      order.forEach((id, i) => {
        if (rows[i]?.id !== id || rows[i]?.queue_pos !== slots[i]) set.run(slots[i], id);
      });
    })();
  }

  setPaused(jobId: string, paused: boolean): void {
    const r = this.db.prepare(`UPDATE jobs SET paused = ? WHERE id = ? AND status = 'queued'`).run(paused ? 1 : 0, jobId);
    if (r.changes === 0) throw new StudioError('conflict', `Only a waiting render can be ${paused ? 'paused' : 'resumed'}; this one has already started or ended.`);
  }

  /** Clears a finished job from the queue view; it stays in its project's renders. */
  dismiss(jobId: string): void {
    const r = this.db.prepare(`UPDATE jobs SET dismissed = 1 WHERE id = ? AND status IN ('completed', 'failed', 'cancelled')`).run(jobId);
    if (r.changes === 0) throw new StudioError('conflict', 'Only a finished, failed or cancelled render can be removed from the queue; cancel it first.');
  }

  createBatch(id: string, projectId: string, name: string): void {
    this.db.prepare('INSERT INTO batches (id, project_id, name, created_at) VALUES (?, ?, ?, ?)').run(id, projectId, name, Date.now());
  }

  batchName(id: string): string | null {
    return this.db.prepare<[string], { name: string }>('SELECT name FROM batches WHERE id = ?').get(id)?.name ?? null;
  }

  isPaused(): boolean {
    return this.db.prepare<[], { paused: number }>('SELECT paused FROM queue_state WHERE id = 1').get()?.paused === 1;
  }

  setAllPaused(paused: boolean): void {
    this.db.prepare('UPDATE queue_state SET paused = ? WHERE id = 1').run(paused ? 1 : 0);
  }
}
