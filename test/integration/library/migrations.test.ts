import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { openDatabase, schemaVersion } from '../../../main/core/library/database';
import { QUEUE_PAGE_SQL } from '../../../main/core/library/jobRepository';
import { Library } from '../../../main/core/library/library';
import { LATEST_SCHEMA_VERSION } from '../../../main/core/library/migrations/index';
import { makeTempDir } from '../../helpers/generatedMedia';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

describe('library migrations', () => {
  it('builds the latest schema from an empty folder, in WAL mode with foreign keys on', async () => {
    const lib = await Library.open(makeTempDir('mig-empty'));
    expect(schemaVersion(lib.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(lib.db)).toEqual(['assets', 'batches', 'jobs', 'outputs', 'presets', 'projects', 'queue_state', 'settings']);
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const cols = (lib.db.prepare('PRAGMA table_info(projects)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols).toContain('state_json');
    lib.close();
  });

  it('the queue page walks its index in order and stops after the page, with no sort of every job', async () => {
    const lib = await Library.open(makeTempDir('mig-queue-plan'));
    const plan = (lib.db.prepare(`EXPLAIN QUERY PLAN ${QUEUE_PAGE_SQL}`).all(50, 0) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan).toContain('USING INDEX jobs_by_queue_view');
    expect(plan).not.toContain('TEMP B-TREE');
    lib.close();
  });

  it('upgrades a library written by the previous version and keeps its data', async () => {
    const home = makeTempDir('mig-prev');
    const old = await Library.open(home, { targetVersion: LATEST_SCHEMA_VERSION - 1 });
    expect(schemaVersion(old.db)).toBe(LATEST_SCHEMA_VERSION - 1);
    old.db.prepare("INSERT INTO projects (id, name, app, created_at, updated_at) VALUES ('oldproj1', 'From v1', 'animate', 1, 2)").run();
    old.db
      .prepare(
        "INSERT INTO jobs (id, project_id, app, engine, params_json, params_version, status, created_at) VALUES ('oldjob01', 'oldproj1', 'animate', 'cloud', '{}', 1, 'queued', 3)",
      )
      .run();
    old.close();

    const lib = await Library.open(home);
    expect(schemaVersion(lib.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(lib.projects.get('oldproj1')).toMatchObject({ name: 'From v1', app: 'animate', createdAt: 1 });
    expect(lib.db.prepare("SELECT state_json FROM projects WHERE id = 'oldproj1'").get()).toEqual({ state_json: '{}' });
    expect(lib.jobs.get('oldjob01')).toMatchObject({ status: 'queued', stage: null });
    lib.close();
  });

  it('refuses a library from a newer app version without touching it', async () => {
    const home = makeTempDir('mig-newer');
    const lib = await Library.open(home);
    lib.createProject('Made by the future');
    lib.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    lib.close();

    const err = await Library.open(home).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('newer_library');
    expect((err as StudioError).message).toContain(join(home, 'library.db'));
    expect((err as StudioError).message).toMatch(/newer version of Wan Studio .*schema \d+; this version understands up to \d+.*Update Wan Studio/);

    const raw = new Database(join(home, 'library.db'), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(raw.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'Made by the future' }]);
    raw.close();
  });

  it('explains a library.db that is not a database', () => {
    const home = makeTempDir('mig-garbage');
    const file = join(home, 'library.db');
    writeFileSync(file, 'this is not sqlite, it is a text file that someone renamed'.repeat(100));
    let err: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).message).toContain(`${file} is not a readable Wan Studio library`);
    expect((err as StudioError).message).toMatch(/Restore it from a backup|--home/);
  });

  it('each migration is all-or-nothing: a failure leaves the previous version', () => {
    const home = makeTempDir('mig-atomic');
    const file = join(home, 'library.db');
    const db = openDatabase(file, { targetVersion: 1 });
    // Sabotage: a column the next migration adds already exists, so migration 2 fails midway.
    db.exec("ALTER TABLE jobs ADD COLUMN stage TEXT");
    db.close();
    expect(() => openDatabase(file)).toThrow();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    const cols = (raw.prepare('PRAGMA table_info(projects)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols).not.toContain('state_json');
    raw.close();
  });
});
