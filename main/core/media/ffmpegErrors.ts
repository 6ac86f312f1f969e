import { StudioError } from '../contract/errors';
import { lastErrorLine } from './runProcess';

/**
 * Turns the end of ffmpeg's stderr into a typed error. `what` names the operation and the file
 * in the user's words ("Trimming interview.mp4"); temp and internal paths are cut from the reason.
 */
export function ffmpegFailure(what: string, stderrTail: string, hidePaths: string[] = []): StudioError {
  let reason = lastErrorLine(stderrTail);
  for (const p of hidePaths) reason = reason.split(`file:${p}`).join('').split(p).join('');
  reason = reason.replace(/^[:\s]+/, '') || 'ffmpeg stopped without saying why';
  const tail = stderrTail.toLowerCase();
  if (tail.includes('no space left on device')) {
    return new StudioError('disk_full', `${what} failed: the disk is full. Free some space and try again.`);
  }
  if (tail.includes('no such file or directory')) {
    return new StudioError('not_found', `${what} failed: a file it needs is missing (it may have been moved or deleted while working). Re-import it and try again.`);
  }
  if (tail.includes('permission denied') || tail.includes('read-only file system')) {
    return new StudioError('read_only', `${what} failed: the output folder is not writable. Check its permissions.`);
  }
  if (/invalid data found|moov atom not found|error while decoding|corrupt|truncat/i.test(stderrTail)) {
    return new StudioError('unsupported_media', `${what} failed: the file looks damaged (${reason}). Export it again and re-import.`);
  }
  if (/unknown encoder|encoder not found|unrecognized option|no such filter/i.test(stderrTail)) {
    return new StudioError('unavailable', `${what} failed: this ffmpeg lacks a feature it needs (${reason}). Install a full ffmpeg build or set its path in Settings.`);
  }
  return new StudioError('io_error', `${what} failed: ${reason}.`);
}
