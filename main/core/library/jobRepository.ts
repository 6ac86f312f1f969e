import { StudioError } from '../contract/errors';
import type { PersonPick, StudioApp } from '../contract/types';
import type { Db } from './database';
import { newId } from './ids';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type JobEngine = 'local' | 'cloud';
export type JobEngineChoice = 'auto' | JobEngine;

/**
 * Why a failed job failed, as data (a retry decides from it): the remote task itself failed or
 * was cancelled on the service (a retry submits anew), or anything else (network, download, disk:
 * a retry follows the task already paid for, or renders again when there is none).
 */
export const failureKinds = ['remote_task_failed', 'remote_task_cancelled', 'error'] as const;
export type FailureKind = (typeof failureKinds)[number];
/** Why the local engine failed a job, as data (an "Automatic" job may then go to the cloud). */
export const localFailures = ['out_of_memory', 'provider'] as const;
export type LocalFailure = (typeof localFailures)[number];

/**
 * A cloud run about to be requested: when it began and the job's own uploaded file URIs (app
 * input field -> URI). Stored before the request, so a restart can find the task by them.
 */
export interface RemoteSubmission {
  startedAt: number;
  files: Record<string, string>;
}

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
  /** Set while a cloud run is being requested and its task id is not stored yet. */
  submission: RemoteSubmission | null;
  failureKind: FailureKind | null;
  /** The local engine ran out of memory or its provider broke on this job (kept after a re-route). */
  localFailure: LocalFailure | null;
  /** The assets and trims the job renders, frozen when it was queued. */
  inputs: JobInputs;
  inputSeconds: number | null;
  sizeKey: string | null;
  /** The last log lines, newest last. */
  logTail: string[];
  /** Place in the queue: waiting jobs run in ascending order. */
  queuePos: number;
  /** Held by the user: stays in its place but does not start. */
  paused: boolean;
  /** Cleared from the queue view (finished jobs only); still listed in its project. */
  dismissed: boolean;
  /** What the user asked for; 'auto' is decided when the job starts. */
  engineChoice: JobEngineChoice;
  /** Why the engine that runs the job was picked. */
  routeReason: string | null;
  batchId: string | null;
  /** What differs in this job of its batch (e.g. "seed 42"). */
  batchLabel: string | null;
}

/** Asset ids and trims per app, as the editor had them when the render was queued. */
export interface JobInputs {
  imageAssetId?: string | null;
  audioAssetId?: string | null;
  videoAssetId?: string | null;
  trim?: { inSec: number; outSec: number | null };
  /**
   * Animate: the person the user picked in the driving video (null: the largest, Wan's rule).
   * A render on this computer uses it; the cloud app takes no person, its own detector uses the largest.
   */
  person?: PersonPick | null;
}

const LOG_TAIL_LINES = 40;

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
  submission_json: string | null;
  failure_kind: FailureKind | null;
  local_failure: LocalFailure | null;
  inputs_json: string;
  input_seconds: number | null;
  size_key: string | null;
  log_tail: string;
  queue_pos: number;
  paused: number;
  dismissed: number;
  engine_choice: JobEngineChoice;
  route_reason: string | null;
  batch_id: string | null;
  batch_label: string | null;
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
  submission: r.submission_json ? (JSON.parse(r.submission_json) as RemoteSubmission) : null,
  failureKind: r.failure_kind,
  localFailure: r.local_failure,
  inputs: JSON.parse(r.inputs_json || '{}') as JobInputs,
  inputSeconds: r.input_seconds,
  sizeKey: r.size_key,
  logTail: r.log_tail ? r.log_tail.split('\n') : [],
  queuePos: r.queue_pos,
  paused: r.paused === 1,
  dismissed: r.dismissed === 1,
  engineChoice: r.engine_choice,
  routeReason: r.route_reason,
  batchId: r.batch_id,
  batchLabel: r.batch_label,
});

const TERMINAL: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (s: JobStatus): boolean => TERMINAL.includes(s);

/** Job rows. Each method is one statement, so each change is atomic on its own. */
/**
 * One page of the queue view. The ORDER BY must stay textually equal to the index
 * jobs_by_queue_view (migration 008), or every call sorts the whole table.
 */
export const QUEUE_PAGE_SQL = `SELECT j.*, p.name AS project_name, b.name AS batch_name FROM jobs j
  JOIN projects p ON p.id = j.project_id LEFT JOIN batches b ON b.id = j.batch_id
  WHERE j.dismissed = 0
  ORDER BY CASE j.status WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END,
           CASE j.status WHEN 'running' THEN j.started_at WHEN 'queued' THEN j.queue_pos ELSE -coalesce(j.finished_at, j.created_at) END,
           j.rowid
  LIMIT ? OFFSET ?`;

export class JobRepository {
  constructor(private readonly db: Db) {}

  create(input: {
    projectId: string;
    app: StudioApp;
    engine: JobEngine;
    params: unknown;
    paramsVersion: number;
    inputs?: JobInputs;
    inputSeconds?: number | null;
    sizeKey?: string | null;
    engineChoice?: JobEngineChoice;
    routeReason?: string | null;
    batchId?: string | null;
    batchLabel?: string | null;
  }): JobRecord {
    const id = newId();
    // A new job joins the end of the queue.
    this.db
      .prepare(
        `INSERT INTO jobs (id, project_id, app, engine, params_json, params_version, status, progress, created_at, inputs_json, input_seconds, size_key,
                           engine_choice, route_reason, batch_id, batch_label, queue_pos)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(queue_pos), 0) + 1 FROM jobs))`,
      )
      .run(
        id,
        input.projectId,
        input.app,
        input.engine,
        JSON.stringify(input.params),
        input.paramsVersion,
        Date.now(),
        JSON.stringify(input.inputs ?? {}),
        input.inputSeconds ?? null,
        input.sizeKey ?? null,
        input.engineChoice ?? input.engine,
        input.routeReason ?? null,
        input.batchId ?? null,
        input.batchLabel ?? null,
      );
    return this.get(id);
  }

  /** Wall-clock seconds of recent finished jobs like this one, per second of input (for ETAs). */
  recentDurations(app: StudioApp, engine: JobEngine, sizeKey: string | null, limit = 20): Array<{ ms: number; inputSeconds: number | null }> {
    return this.db
      .prepare<[string, string, string | null, number], { ms: number; input_seconds: number | null }>(
        `SELECT finished_at - started_at AS ms, input_seconds FROM jobs
         WHERE app = ? AND engine = ? AND size_key IS ? AND status = 'completed' AND started_at IS NOT NULL AND finished_at IS NOT NULL
         ORDER BY finished_at DESC LIMIT ?`,
      )
      .all(app, engine, sizeKey, limit)
      .map((r) => ({ ms: r.ms, inputSeconds: r.input_seconds }));
  }

  appendLog(id: string, lines: string[]): void {
    if (lines.length === 0) return;
    this.db.transaction(() => {
      const row = this.db.prepare<[string], { log_tail: string }>('SELECT log_tail FROM jobs WHERE id = ?').get(id);
      if (!row) return;
      const all = [...(row.log_tail ? row.log_tail.split('\n') : []), ...lines.map((l) => l.replace(/[\r\n]+/g, ' ').slice(0, 500))];
      this.db.prepare('UPDATE jobs SET log_tail = ? WHERE id = ?').run(all.slice(-LOG_TAIL_LINES).join('\n'), id);
    })();
  }

  /**
   * A failed job back at the end of the queue, its inputs, parameters and seed unchanged.
   * `resubmit` forgets its remote task.
   */
  retry(id: string, resubmit: boolean): void {
    const forget = resubmit ? ', remote_task_id = NULL, submission_json = NULL' : '';
    this.update(
      id,
      `status = 'queued', stage = NULL, error = NULL, failure_kind = NULL, finished_at = NULL, started_at = NULL, paused = 0, dismissed = 0,
       queue_pos = (SELECT coalesce(max(queue_pos), 0) + 1 FROM jobs)${forget}`,
      [],
    );
  }

  /** The engine that will run the job, and why (decided when an 'auto' job starts). */
  setRoute(id: string, engine: JobEngine, reason: string): void {
    this.update(id, 'engine = ?, route_reason = ?', [engine, reason]);
  }

  /** A running local job the user paused, held in its place; its checkpoints let it resume. */
  holdAfterPause(id: string): void {
    this.update(id, `status = 'queued', paused = 1, stage = NULL, progress = 0, started_at = NULL`, []);
  }

  /** Back to the queue after a restart (never submitted, so nothing was paid). */
  requeue(id: string): void {
    this.update(id, `status = 'queued', stage = NULL, progress = 0, started_at = NULL`, []);
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

  allIds(): Set<string> {
    return new Set(this.db.prepare<[], { id: string }>('SELECT id FROM jobs').all().map((r) => r.id));
  }

  listByStatus(statuses: readonly JobStatus[]): JobRecord[] {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => '?').join(', ');
    return this.db
      .prepare<JobStatus[], JobRow>(`SELECT * FROM jobs WHERE status IN (${marks}) ORDER BY created_at, rowid`)
      .all(...statuses)
      .map(toJob);
  }

  /**
   * One page of the queue view across projects: running (oldest start first), then waiting in
   * queue order, then ended (newest first); jobs cleared from the view are left out.
   */
  listQueuePage(offset: number, limit: number): Array<{ job: JobRecord; projectName: string; batchName: string | null }> {
    return this.db
      .prepare<[number, number], JobRow & { project_name: string; batch_name: string | null }>(
        QUEUE_PAGE_SQL,
      )
      .all(limit, offset)
      .map((r) => ({ job: toJob(r), projectName: r.project_name, batchName: r.batch_name }));
  }

  /** Jobs in the queue view by state (held = waiting and paused). */
  queueCounts(): { running: number; waiting: number; held: number; ended: number } {
    const rows = this.db
      .prepare<[], { status: JobStatus; paused: number; n: number }>('SELECT status, paused, count(*) AS n FROM jobs WHERE dismissed = 0 GROUP BY status, paused')
      .all();
    const counts = { running: 0, waiting: 0, held: 0, ended: 0 };
    for (const r of rows) {
      if (r.status === 'running') counts.running += r.n;
      else if (r.status === 'queued') counts[r.paused ? 'held' : 'waiting'] += r.n;
      else counts.ended += r.n;
    }
    return counts;
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

  /** Written (committed) before a cloud run is requested: a crash from here on looks the task up first. */
  beginSubmission(id: string, submission: RemoteSubmission): void {
    this.update(id, 'submission_json = ?, remote_task_id = NULL', [JSON.stringify(submission)]);
  }

  /** The service answered the run request with a refusal: no task exists, nothing to look up. */
  clearSubmission(id: string): void {
    this.update(id, 'submission_json = NULL', []);
  }

  /** Written before anything else after a submit, so a crash re-attaches instead of paying twice. */
  setRemoteTaskId(id: string, taskId: string): void {
    this.update(id, 'remote_task_id = ?, submission_json = NULL', [taskId]);
  }

  complete(id: string): void {
    this.update(id, `status = 'completed', progress = 1, stage = NULL, error = NULL, finished_at = ?`, [Date.now()]);
  }

  fail(id: string, message: string, kind: FailureKind, localFailure: LocalFailure | null = null): void {
    this.update(id, `status = 'failed', stage = NULL, error = ?, failure_kind = ?, local_failure = COALESCE(?, local_failure), finished_at = ?`, [message, kind, localFailure, Date.now()]);
  }

  /**
   * A local job that failed for lack of memory or a broken provider, back in its place in the
   * queue on the cloud (nothing was paid yet: it starts as a new cloud run). Its choice becomes the
   * cloud, so the start does not route it back to this computer.
   */
  rerouteToCloud(id: string, reason: string, localFailure: LocalFailure): void {
    this.update(id, `status = 'queued', stage = NULL, progress = 0, started_at = NULL, engine = 'cloud', engine_choice = 'cloud', route_reason = ?, local_failure = ?`, [reason, localFailure]);
  }

  cancel(id: string): void {
    this.update(id, `status = 'cancelled', stage = NULL, finished_at = ?`, [Date.now()]);
  }

  private update(id: string, set: string, values: unknown[]): void {
    const r = this.db.prepare(`UPDATE jobs SET ${set} WHERE id = ?`).run(...values, id);
    if (r.changes === 0) this.get(id);
  }
}
