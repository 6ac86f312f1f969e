import { roundHalfEven } from '../wan/numpyRound';

/**
 * The Animate clip plan (research/wan22.md §2.2, §2.4), the same for the core (which refuses a job
 * before queueing it) and the worker (which renders it clip by clip):
 * - processing frames: `fps` -1 keeps the source rate; frame k takes source frame round(k / fps *
 *   source fps) (half to even, as numpy), and there are trunc(frames / source fps * fps) of them;
 * - clips of `clip_len` frames advancing by `clip_len - refert_num`; the last `refert_num` decoded
 *   frames of a clip guide the next one and are not output twice;
 * - the conditioning sequences are lengthened to whole clips by ping-pong repetition (forwards,
 *   backwards, forwards...) and the output is cut back to the real length.
 */

/** A local render refuses driving videos longer than this (seconds, after trimming). */
export const LOCAL_ANIMATE_MAX_SECONDS = 60;
export const REFERT_CHOICES = [1, 5] as const;

/** What the editor calls the fields a plan can be refused for. */
export const CLIP_LABELS = { clipLen: 'Frames per clip', refertNum: 'Temporal guidance', video: 'Driving video', fps: 'Frames per second' } as const;

export interface ClipPlanInput {
  /** Frames of the (trimmed) driving video and its rate. */
  sourceFrames: number;
  sourceFps: number;
  /** Processing rate; -1 = the source's. */
  fps: number;
  clipLen: number;
  refertNum: number;
}

export interface AnimateClip {
  index: number;
  /** Positions in the padded sequence: frames [start, end) condition this clip. */
  start: number;
  end: number;
  /** Leading decoded frames that repeat the previous clip's guidance frames (0 for the first clip). */
  guideFrames: number;
  /** The video frames this clip adds: [outStart, outEnd), already cut to the real length. */
  outStart: number;
  outEnd: number;
}

export interface AnimateClipPlan {
  fps: number;
  /** Processing frame k is source frame sourceIndex[k]. */
  sourceIndex: number[];
  /** Processing frames in the output video. */
  realLen: number;
  /** Frames after ping-pong padding: refert_num + a whole number of clip advances. */
  targetLen: number;
  clips: AnimateClip[];
}

export type ClipPlanResult = { ok: true; plan: AnimateClipPlan } | { ok: false; problems: string[] };

/** Source frame of each processing frame (the preprocessing's frame sampling). */
export function processingFrameIndices(sourceFrames: number, sourceFps: number, fps: number): number[] {
  const rate = fps === -1 ? sourceFps : fps;
  const count = Math.trunc((sourceFrames / sourceFps) * rate);
  return Array.from({ length: count }, (_, k) => Math.min(sourceFrames - 1, Math.max(0, roundHalfEven((k / rate) * sourceFps))));
}

/** Frames the sequence is padded to so that every clip is whole. */
export function paddedLength(realLen: number, clipLen: number, refertNum: number): number {
  const step = clipLen - refertNum;
  const rest = (((realLen - refertNum) % step) + step) % step;
  return rest === 0 ? realLen : realLen + step - rest;
}

/** Which real frame fills padded position i: 0, 1, ..., n-1, n-2, ..., 0, 1, ... */
export function pingPongIndex(i: number, realLen: number): number {
  if (realLen === 1) return 0;
  const period = 2 * (realLen - 1);
  const j = i % period;
  return j < realLen ? j : period - j;
}

export function clipSettingProblems(clipLen: number, refertNum: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(clipLen) || clipLen < 5 || (clipLen - 1) % 4 !== 0) {
    const below = Math.max(5, Math.floor((clipLen - 1) / 4) * 4 + 1);
    problems.push(`${CLIP_LABELS.clipLen}: ${clipLen} is not 4n+1 (like ${below} or ${below + 4}). Pick one of those.`);
  }
  if (!(REFERT_CHOICES as readonly number[]).includes(refertNum)) problems.push(`${CLIP_LABELS.refertNum}: ${refertNum} frames is not offered; pick 1 or 5 frames.`);
  else if (clipLen <= refertNum) problems.push(`${CLIP_LABELS.clipLen}: ${clipLen} must be more than the ${refertNum} ${CLIP_LABELS.refertNum} frames, or the clips never advance.`);
  return problems;
}

function videoProblems(input: ClipPlanInput, realLen: number): string[] {
  const { sourceFrames, sourceFps, fps } = input;
  if (!(sourceFps > 0) || !(sourceFrames > 0)) return [`${CLIP_LABELS.video}: no frames or no frame rate could be read. Import the video again or convert it to MP4.`];
  if (!(fps === -1 || (Number.isInteger(fps) && fps >= 1 && fps <= 60))) return [`${CLIP_LABELS.fps}: ${fps} must be -1 (the video's rate) or 1 to 60.`];
  const seconds = sourceFrames / sourceFps;
  if (seconds > LOCAL_ANIMATE_MAX_SECONDS)
    return [`${CLIP_LABELS.video}: ${seconds.toFixed(1)} s is longer than the ${LOCAL_ANIMATE_MAX_SECONDS} s limit of a local Animate render. Trim it to ${LOCAL_ANIMATE_MAX_SECONDS} s or less, or render it in the cloud.`];
  if (realLen <= input.refertNum)
    return [`${CLIP_LABELS.video}: ${realLen} frame${realLen === 1 ? '' : 's'} at the processing rate is too short; it needs more than the ${input.refertNum} ${CLIP_LABELS.refertNum} frames. Use a longer trim or a higher ${CLIP_LABELS.fps}.`];
  return [];
}

export function planAnimateClips(input: ClipPlanInput): ClipPlanResult {
  const settings = clipSettingProblems(input.clipLen, input.refertNum);
  const sane = input.sourceFps > 0 && input.sourceFrames > 0 && input.sourceFrames / input.sourceFps <= LOCAL_ANIMATE_MAX_SECONDS;
  const sourceIndex = sane ? processingFrameIndices(input.sourceFrames, input.sourceFps, input.fps) : [];
  const problems = [...settings, ...videoProblems(input, sourceIndex.length)];
  if (problems.length) return { ok: false, problems };
  const realLen = sourceIndex.length;
  return { ok: true, plan: { fps: input.fps === -1 ? input.sourceFps : input.fps, sourceIndex, realLen, ...clipWindows(realLen, input.clipLen, input.refertNum) } };
}

/** The clips over `realLen` processing frames (the worker plans a job's clips with this alone). */
export function clipWindows(realLen: number, clipLen: number, refertNum: number): { targetLen: number; clips: AnimateClip[] } {
  const targetLen = paddedLength(realLen, clipLen, refertNum);
  const step = clipLen - refertNum;
  const clips: AnimateClip[] = [];
  for (let start = 0; start + refertNum < targetLen; start += step) {
    const guideFrames = start === 0 ? 0 : refertNum;
    const outStart = start + guideFrames;
    clips.push({ index: clips.length, start, end: start + clipLen, guideFrames, outStart: Math.min(outStart, realLen), outEnd: Math.min(start + clipLen, realLen) });
  }
  return { targetLen, clips };
}
