import { StudioError } from '../contract/errors';
import type { MediaInfo } from './mediaInfo';

/** Larger than any model resolution needs; beyond it, decoding alone takes gigabytes. */
export const MAX_SIDE = 8192;
export const MAX_DURATION_SEC = 4 * 60 * 60;

/** What the library accepts, explained per file: checked on import, after the probe. */
export function assertImportable(info: MediaInfo, name: string): void {
  const v = info.video;
  if (v) assertPixelSize(v.width, v.height, name);
  if (info.durationSec !== null && info.durationSec > MAX_DURATION_SEC) {
    throw new StudioError('unsupported_media', `${name} is ${(info.durationSec / 3600).toFixed(1)} hours long; Wan Studio takes up to 4 hours. Cut it into parts first.`);
  }
}

/** Also called with the size an image header declares, before anything decodes the picture. */
export function assertPixelSize(width: number, height: number, name: string): void {
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new StudioError(
      'unsupported_media',
      `${name} is ${width}×${height} pixels; Wan Studio takes up to ${MAX_SIDE} pixels on a side. Scale it down and import it again.`,
    );
  }
}
