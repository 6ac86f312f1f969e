import type { Asset } from '../../../main/core/contract/types';

const LONG_SIDE = 1280;
const MIN = 512;
const MAX = 1920;

/**
 * Animate's processing size for a driving video: its aspect ratio with the longer side at 1280
 * (the app's default), both sides multiples of 16 within the app's 512..1920. Null when the
 * video's size is unknown.
 */
export function animateSizeFor(video: Asset): { resolution_width: number; resolution_height: number } | null {
  const { width, height, rotation } = video.media;
  if (!width || !height) return null;
  const [w, h] = rotation === 90 || rotation === 270 ? [height, width] : [width, height];
  const scale = LONG_SIDE / Math.max(w, h);
  const side = (v: number) => Math.min(MAX, Math.max(MIN, Math.round((v * scale) / 16) * 16));
  return { resolution_width: side(w), resolution_height: side(h) };
}
