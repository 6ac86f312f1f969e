import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StudioError } from '../contract/errors';
import { errorCode, fsFailure } from './fsErrors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index';

export type Db = Database.Database;

export interface OpenOptions {
  /** Stop migrating at this version (tests use it to build an older library). */
  targetVersion?: number;
  readonly?: boolean;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every pending migration, each in its own transaction together with the version bump,
 * so a crash mid-migration leaves the library at the previous version, never in between.
 */
export function migrate(db: Db, file: string, targetVersion = LATEST_SCHEMA_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new StudioError(
      'newer_library',
      `The library ${file} was written by a newer version of Wan Studio (library schema ${current}; this version understands up to ${LATEST_SCHEMA_VERSION}). Update Wan Studio, or open another library folder with --home or WAN_STUDIO_HOME.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > targetVersion) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (e) {
    throw fsFailure(e, `open the library database ${file}`, dirname(file));
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, file, options.targetVersion);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof StudioError) throw e;
    if (errorCode(e) === 'SQLITE_NOTADB' || errorCode(e) === 'SQLITE_CORRUPT') {
      throw new StudioError(
        'io_error',
        `${file} is not a readable Wan Studio library (${(e as Error).message}). Restore it from a backup, or open another library folder with --home.`,
        { cause: e },
      );
    }
    throw fsFailure(e, `open the library database ${file}`, dirname(file));
  }
}
