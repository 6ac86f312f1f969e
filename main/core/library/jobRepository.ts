import { StudioError } from '../contract/errors';
import type { StudioApp } from '../contract/types';
import type { Db } from './database';
import { newId } from './ids';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type JobEngine = 'local' | 'cloud';

export interface JobRecord {
  id: string;
  projectId: string;
  app: StudioApp;
  engine: JobEngine;
  /** Parameters exactly as validated by the app's schema; never holds secrets. */
  params: unknown;
  paramsVersion: number;
  status: JobStatus;
  stage: string | null;
  progress: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  remoteTaskId: string | null;
}

interface JobRow {
  id: string;
  project_id: string;
  app: StudioApp;
  engine: JobEngine;
  params_json: string;
  params_version: number;
  status: JobStatus;
  stage: string | null;
  progress: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
  remote_task_id: string | null;
}

const toJob = (r: JobRow): JobRecord => ({
  id: r.id,
  projectId: r.project_id,
  app: r.app,
  engine: r.engine,
  params: JSON.parse(r.params_json) as unknown,
  paramsVersion: r.params_version,
  status: r.status,
  stage: r.stage,
  progress: r.progress,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
  remoteTaskId: r.remote_task_id,
});

const TERMINAL: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (s: JobStatus): boolean => TERMINAL.includes(s);

/** Job rows. Each method is one statement, so each change is atomic on its own. */
export class JobRepository {
  constructor(private readonly db: Db) {}

  create(input: { projectId: string; app: StudioApp; engine: JobEngine; params: unknown; paramsVersion: number }): JobRecord {
    const id = newId();
    this.db
      .prepare(
        `INSERT INTO jobs (id, project_id, app, engine, params_json, params_version, status, progress, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?)`,
      )
      .run(id, input.projectId, input.app, input.engine, JSON.stringify(input.params), input.paramsVersion, Date.now());
    return this.get(id);
  }

  find(id: string): JobRecord | null {
    const row = this.db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?').get(id);
    return row ? toJob(row) : null;
  }

  get(id: string): JobRecord {
    const job = this.find(id);
    if (!job) throw new StudioError('not_found', `Job ${id} does not exist. It may have been deleted with its project.`);
    return job;
  }

  listByProject(projectId: string): JobRecord[] {
    return this.db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE project_id = ? ORDER BY created_at, rowid').all(projectId).map(toJob);
  }

  listByStatus(statuses: readonly JobStatus[]): JobRecord[] {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => '?').join(', ');
    return this.db
      .prepare<JobStatus[], JobRow>(`SELECT * FROM jobs WHERE status IN (${marks}) ORDER BY created_at, rowid`)
      .all(...statuses)
      .map(toJob);
  }

  /** Cloud jobs that were submitted but never finished: followed again after a restart. */
  listReattachable(): JobRecord[] {
    return this.db
      .prepare<[], JobRow>(
        `SELECT * FROM jobs WHERE engine = 'cloud' AND remote_task_id IS NOT NULL AND status IN ('queued', 'running') ORDER BY created_at, rowid`,
      )
      .all()
      .map(toJob);
  }

  markRunning(id: string, stage: string | null = null): void {
    this.update(id, `status = 'running', stage = ?, started_at = coalesce(started_at, ?)`, [stage, Date.now()]);
  }

  setProgress(id: string, progress: number, stage: string | null): void {
    const p = Math.min(1, Math.max(0, progress));
    this.update(id, 'progress = ?, stage = ?', [p, stage]);
  }

  /** Written before anything else after a submit, so a crash re-attaches instead of paying twice. */
  setRemoteTaskId(id: string, taskId: string): void {
    this.update(id, 'remote_task_id = ?', [taskId]);
  }

  complete(id: string): void {
    this.update(id, `status = 'completed', progress = 1, stage = NULL, error = NULL, finished_at = ?`, [Date.now()]);
  }

  fail(id: string, message: string): void {
    this.update(id, `status = 'failed', stage = NULL, error = ?, finished_at = ?`, [message, Date.now()]);
  }

  cancel(id: string): void {
    this.update(id, `status = 'cancelled', stage = NULL, finished_at = ?`, [Date.now()]);
  }

  private update(id: string, set: string, values: unknown[]): void {
    const r = this.db.prepare(`UPDATE jobs SET ${set} WHERE id = ?`).run(...values, id);
    if (r.changes === 0) this.get(id);
  }
}
