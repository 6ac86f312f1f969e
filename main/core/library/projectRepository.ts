import { StudioError } from '../contract/errors';
import type { Project, ProjectState, StudioApp } from '../contract/types';
import { parseStoredState } from './projectState';
import type { Db } from './database';

interface ProjectRow {
  id: string;
  name: string;
  app: StudioApp;
  created_at: number;
  updated_at: number;
  asset_count: number;
  thumb: string | null;
  job_status: NonNullable<Project['lastRender']>['status'] | null;
  job_progress: number | null;
}

const SELECT = `
  SELECT p.id, p.name, p.app, p.created_at, p.updated_at,
         (SELECT count(*) FROM assets a WHERE a.project_id = p.id) AS asset_count,
         (SELECT a.thumb FROM assets a
            WHERE a.project_id = p.id AND a.thumb IS NOT NULL AND a.kind IN ('image', 'video')
            ORDER BY a.created_at DESC LIMIT 1) AS thumb,
         (SELECT j.status FROM jobs j WHERE j.project_id = p.id ORDER BY j.created_at DESC, j.rowid DESC LIMIT 1) AS job_status,
         (SELECT j.progress FROM jobs j WHERE j.project_id = p.id ORDER BY j.created_at DESC, j.rowid DESC LIMIT 1) AS job_progress
  FROM projects p`;

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  app: r.app,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  assetCount: r.asset_count,
  thumb: r.thumb,
  lastRender: r.job_status ? { status: r.job_status, progress: r.job_progress ?? 0 } : null,
});

/** LIKE with the user's %, _ and \ taken literally. */
const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class ProjectRepository {
  constructor(private readonly db: Db) {}

  list(search?: string): Project[] {
    const q = search?.trim();
    const rows = q
      ? this.db.prepare<[string], ProjectRow>(`${SELECT} WHERE p.name LIKE ? ESCAPE '\\' ORDER BY p.updated_at DESC, p.rowid DESC`).all(likePattern(q))
      : this.db.prepare<[], ProjectRow>(`${SELECT} ORDER BY p.updated_at DESC, p.rowid DESC`).all();
    return rows.map(toProject);
  }

  find(id: string): Project | null {
    const row = this.db.prepare<[string], ProjectRow>(`${SELECT} WHERE p.id = ?`).get(id);
    return row ? toProject(row) : null;
  }

  get(id: string): Project {
    const p = this.find(id);
    if (!p) throw new StudioError('not_found', `Project ${id} does not exist. It may have been deleted; reload the library.`);
    return p;
  }

  /** Accepts an id or an exact name, for the CLI; a name shared by several projects is ambiguous. */
  findByIdOrName(idOrName: string): Project {
    const byId = this.find(idOrName);
    if (byId) return byId;
    const ids = this.db.prepare<[string], { id: string }>('SELECT id FROM projects WHERE name = ?').all(idOrName);
    if (ids.length === 1 && ids[0]) return this.get(ids[0].id);
    if (ids.length > 1) {
      throw new StudioError('conflict', `Several projects are named "${idOrName}" (${ids.map((r) => r.id).join(', ')}). Use the project id instead.`);
    }
    throw new StudioError('not_found', `No project has the id or name "${idOrName}". List them with: wan-studio projects list`);
  }

  insert(id: string, name: string, app: StudioApp, now: number): void {
    this.db.prepare('INSERT INTO projects (id, name, app, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, name, app, now, now);
  }

  rename(id: string, name: string, now: number): void {
    const r = this.db.prepare('UPDATE projects SET name = ?, updated_at = ? WHERE id = ?').run(name, now, id);
    if (r.changes === 0) this.get(id);
  }

  touch(id: string, now: number): void {
    this.db.prepare('UPDATE projects SET updated_at = ? WHERE id = ?').run(now, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM projects WHERE id = ?').run(id).changes > 0;
  }

  readState(id: string): ProjectState {
    const row = this.db.prepare<[string], { state_json: string }>('SELECT state_json FROM projects WHERE id = ?').get(id);
    if (!row) this.get(id);
    return parseStoredState(row?.state_json ?? '{}');
  }

  writeState(id: string, state: ProjectState, now: number): void {
    const r = this.db.prepare('UPDATE projects SET state_json = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(state), now, id);
    if (r.changes === 0) this.get(id);
  }

  jobIds(projectId: string): string[] {
    return this.db.prepare<[string], { id: string }>('SELECT id FROM jobs WHERE project_id = ?').all(projectId).map((r) => r.id);
  }
}
