import type { AnimateClip } from '../../common/animate/clipPlan';
import { matchClipColours } from './colourMatch';

/**
 * The frames a clip adds to the video, from its decoded clip_len frames: a later clip's first
 * `guideFrames` frames re-generate the previous clip's last frames and are dropped (after the whole
 * clip is colour-matched to them, when asked: docs/animate-local.md), and the last clip is cut at
 * the real length.
 */
export function clipOutput(decoded: Buffer, frameBytes: number, clip: AnimateClip, previousTail: readonly Uint8Array[], colourMatch: boolean): Buffer {
  const count = decoded.length / frameBytes;
  let frames: Uint8Array[] = Array.from({ length: count }, (_, i) => decoded.subarray(i * frameBytes, (i + 1) * frameBytes));
  if (clip.guideFrames > 0 && colourMatch) frames = matchClipColours(frames, clip.guideFrames, previousTail);
  const n = clip.outEnd - clip.outStart;
  if (clip.guideFrames + n > count) throw new RangeError(`clip ${clip.index} decoded ${count} frames; ${clip.guideFrames} guidance + ${n} new frames expected`);
  return Buffer.concat(frames.slice(clip.guideFrames, clip.guideFrames + n));
}
