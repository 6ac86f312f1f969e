import { framesPerClip } from '../../common/s2v/framesPerClip';

/**
 * How many clips the audio gives and how long each is, as the official S2V pipeline counts them
 * (research/wan22.md §1.3-1.4): with N30 rows of 30 Hz audio and clips of F frames (a multiple of
 * 4), there are int(N30 / (F * videoRate / fps)) + 1 clips (always one more than fit, even on an
 * exact multiple); clip 0 drops its first 3 decoded frames. The encoder cuts the video at the
 * audio's end.
 */
export const FIRST_CLIP_DROP = 3;

export interface ClipPlan {
  framesPerClip: number;
  targetLatents: number;
  clips: number;
  totalFrames: number;
  /** Output frames of clip r. */
  framesOf(r: number): number;
  /** Index of clip r's first output frame in the video. */
  startOf(r: number): number;
}

export { framesPerClip };

/** `rows30` is the length of the 30 Hz audio (int(T50 * 0.6)). */
export function planClips(rows30: number, rates: { videoRate: number; fps: number }, requestedFrames: number): ClipPlan {
  const F = framesPerClip(requestedFrames);
  const clips = Math.trunc(rows30 / (F * (rates.videoRate / rates.fps))) + 1;
  const first = F - FIRST_CLIP_DROP;
  const framesOf = (r: number) => (r === 0 ? first : F);
  return {
    framesPerClip: F,
    targetLatents: F / 4,
    clips,
    totalFrames: first + F * (clips - 1),
    framesOf,
    startOf: (r) => (r === 0 ? 0 : first + F * (r - 1)),
  };
}
