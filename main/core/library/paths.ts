import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export const APP_DIR_NAME = 'Wan Studio';

/** The same folder Electron's app.getPath('userData') gives for this app, computed without Electron. */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

/** --home wins over WAN_STUDIO_HOME, which wins over the OS user-data folder. */
export function resolveLibraryHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, fallback?: string): string {
  if (flag) return resolve(flag);
  if (env.WAN_STUDIO_HOME) return resolve(env.WAN_STUDIO_HOME);
  return fallback ?? defaultUserDataDir(env);
}

export interface LibraryLayout {
  home: string;
  db: string;
  media: string;
  thumbs: string;
  jobs: string;
  outputs: string;
  cache: string;
  tmp: string;
  uploads: string;
}

export function libraryLayout(home: string): LibraryLayout {
  const h = resolve(home);
  return {
    home: h,
    db: join(h, 'library.db'),
    media: join(h, 'media'),
    thumbs: join(h, 'thumbs'),
    jobs: join(h, 'jobs'),
    outputs: join(h, 'outputs'),
    cache: join(h, 'cache'),
    tmp: join(h, 'tmp'),
    uploads: join(h, 'tmp', 'uploads'),
  };
}

/**
 * Resolves a library-relative path and refuses anything that would land outside the library
 * (`..`, absolute paths, NUL bytes). Used by every route that hands library files to a page.
 */
export function resolveInsideLibrary(home: string, libraryPath: string): string | null {
  if (libraryPath.includes('\0') || isAbsolute(libraryPath) || /^[A-Za-z]:/.test(libraryPath)) return null;
  const root = resolve(home);
  const full = resolve(root, libraryPath);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}

/** Library-relative form with forward slashes, as stored in the DB and used in URLs. */
export const toLibraryPath = (home: string, full: string): string => relative(resolve(home), full).split(sep).join('/');

/** Library folders whose files a page may load (media, thumbnails, renders); never the database. */
const SERVABLE_FOLDERS = new Set(['media', 'thumbs', 'outputs', 'jobs', 'cache']);

export function resolveServableLibraryFile(home: string, libraryPath: string): string | null {
  const full = resolveInsideLibrary(home, libraryPath);
  if (!full) return null;
  const first = toLibraryPath(home, full).split('/')[0] ?? '';
  return SERVABLE_FOLDERS.has(first) ? full : null;
}
