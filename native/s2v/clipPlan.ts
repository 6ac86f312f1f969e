/**
 * How many clips cover the audio and how long each is (research/wan22.md §1.4): clips of F frames
 * (a multiple of 4), the first one 3 frames shorter (Wan drops the first decoded frames of clip 0),
 * enough of them to reach the end of the audio; the encoder then cuts the video at the audio's end,
 * so the picture never outruns the sound.
 */
export const MOTION_FRAMES = 73;
export const MOTION_LATENTS = (MOTION_FRAMES + 3) / 4; // 19
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

export function planClips(audioSec: number, fps: number, framesPerChunk: number): ClipPlan {
  const F = Math.max(8, Math.floor(framesPerChunk / 4) * 4);
  const needed = Math.max(1, Math.ceil(audioSec * fps));
  const first = F - FIRST_CLIP_DROP;
  const clips = 1 + Math.max(0, Math.ceil((needed - first) / F));
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
