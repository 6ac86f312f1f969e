import { StudioError } from '../contract/errors';

const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;

/**
 * Maps a file-system failure to a message that names the file and the folder and says what to
 * do. `action` reads like "import clip.mp4".
 */
export function fsFailure(e: unknown, action: string, folder: string): StudioError {
  if (e instanceof StudioError) return e;
  const code = codeOf(e);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return new StudioError('disk_full', `Could not ${action}: the disk holding the library (${folder}) is full. Free some space and try again.`, { cause: e });
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return new StudioError('read_only', `Could not ${action}: the library folder ${folder} is read-only or not writable. Make it writable, or choose another library folder with --home or WAN_STUDIO_HOME.`, { cause: e });
    case 'ENOENT':
      return new StudioError('not_found', `Could not ${action}: a file or folder it needs is missing (${(e as Error).message}).`, { cause: e });
    default:
      return new StudioError('io_error', `Could not ${action}: ${(e as Error)?.message ?? String(e)}.`, { cause: e });
  }
}

export const errorCode = codeOf;
