import { StudioError } from '../contract/errors';
import type { Db } from './database';
import { newId } from './ids';

export interface OutputRecord {
  id: string;
  projectId: string;
  jobId: string | null;
  /** Library-relative path of the rendered file. */
  file: string;
  poster: string | null;
  /** The settings the render used, as stored with the output (and embedded in its metadata). */
  settings: unknown;
  seed: number | null;
  createdAt: number;
}

interface OutputRow {
  id: string;
  project_id: string;
  job_id: string | null;
  file: string;
  poster: string | null;
  settings_json: string;
  seed: number | null;
  created_at: number;
}

const toOutput = (r: OutputRow): OutputRecord => ({
  id: r.id,
  projectId: r.project_id,
  jobId: r.job_id,
  file: r.file,
  poster: r.poster,
  settings: JSON.parse(r.settings_json) as unknown,
  seed: r.seed,
  createdAt: r.created_at,
});

export class OutputRepository {
  constructor(private readonly db: Db) {}

  create(input: Omit<OutputRecord, 'id' | 'createdAt'>): OutputRecord {
    const id = newId();
    this.db
      .prepare('INSERT INTO outputs (id, project_id, job_id, file, poster, settings_json, seed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.projectId, input.jobId, input.file, input.poster, JSON.stringify(input.settings), input.seed, Date.now());
    return this.get(id);
  }

  /** Every library file an output row names (videos and posters): what a sweep keeps. */
  allFiles(): string[] {
    return this.db
      .prepare<[], Pick<OutputRow, 'file' | 'poster'>>('SELECT file, poster FROM outputs')
      .all()
      .flatMap((r) => [r.file, r.poster].filter((f): f is string => !!f));
  }

  find(id: string): OutputRecord | null {
    const row = this.db.prepare<[string], OutputRow>('SELECT * FROM outputs WHERE id = ?').get(id);
    return row ? toOutput(row) : null;
  }

  get(id: string): OutputRecord {
    const o = this.find(id);
    if (!o) throw new StudioError('not_found', `Output ${id} does not exist. It may have been deleted.`);
    return o;
  }

  listByProject(projectId: string): OutputRecord[] {
    return this.db.prepare<[string], OutputRow>('SELECT * FROM outputs WHERE project_id = ? ORDER BY created_at DESC, rowid DESC').all(projectId).map(toOutput);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM outputs WHERE id = ?').run(id);
  }

  listByJob(jobId: string): OutputRecord[] {
    return this.db.prepare<[string], OutputRow>('SELECT * FROM outputs WHERE job_id = ? ORDER BY created_at, rowid').all(jobId).map(toOutput);
  }
}
