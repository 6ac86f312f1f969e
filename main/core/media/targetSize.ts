import { StudioError } from '../contract/errors';
import type { PostProcessSpec } from '../contract/postProcess';

/** 1 MB as people and chat apps count it for upload limits. */
export const MB = 1_000_000;
/** Container and muxing overhead kept back from the budget (MP4 boxes, GIF headers). */
const OVERHEAD = 0.96;
/** Below this the picture is mush: better to say so than to hand back something unwatchable. */
const MIN_VIDEO_KBPS = 40;
const MIN_GIF_HEIGHT = 96;
const MIN_GIF_FPS = 6;
/** Encodes tried before giving up; each one shrinks by how far the last one missed. */
export const MAX_ATTEMPTS = 4;

/** What one encode aims for: a bitrate (MP4), or a size and frame rate (GIF). */
export interface SizeBudget {
  videoKbps: number;
  audioKbps: number;
  gifHeight: number;
  gifFps: number;
}

const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

/** The first try: the bitrate that fills the target over the duration, audio taking its share first. */
export function firstBudget(spec: PostProcessSpec, durationSec: number, hasAudio: boolean, sourceHeight: number): SizeBudget {
  const targetMB = spec.targetSizeMB ?? 0;
  const totalKbps = (targetMB * MB * 8 * OVERHEAD) / 1000 / durationSec;
  const audioKbps = !hasAudio ? 0 : totalKbps >= 800 ? 128 : totalKbps >= 250 ? 64 : 32;
  const videoKbps = Math.floor(totalKbps - audioKbps);
  if (spec.format !== 'gif' && videoKbps < MIN_VIDEO_KBPS) {
    const neededMB = Math.ceil((((MIN_VIDEO_KBPS + audioKbps) * 1000 * durationSec) / 8 / OVERHEAD / MB) * 10) / 10;
    throw new StudioError(
      'invalid_input',
      `Target size: ${targetMB} MB is too small for ${durationSec.toFixed(1)} s of video (it leaves ${Math.max(0, videoKbps)} kbit/s for the picture). Choose at least ${neededMB} MB, or export a shorter render.`,
    );
  }
  return { videoKbps, audioKbps, gifHeight: even(spec.height ?? sourceHeight), gifFps: spec.fps?.target ?? 15 };
}

/**
 * After an encode came out at `actualBytes`: the next, smaller budget, or null when it fits.
 * MP4 lowers the bitrate by the overshoot; GIF (no bitrate to set) shrinks the picture, then the
 * frame rate. Throws when nothing smaller is left to try.
 */
export function nextBudget(spec: PostProcessSpec, budget: SizeBudget, actualBytes: number, attempt: number): SizeBudget | null {
  const targetBytes = (spec.targetSizeMB ?? 0) * MB;
  if (actualBytes <= targetBytes) return null;
  const ratio = (targetBytes / actualBytes) * 0.92;
  const exhausted = attempt >= MAX_ATTEMPTS || (spec.format === 'gif' ? budget.gifHeight <= MIN_GIF_HEIGHT && budget.gifFps <= MIN_GIF_FPS : budget.videoKbps * ratio < MIN_VIDEO_KBPS);
  if (exhausted) {
    throw new StudioError(
      'invalid_input',
      `Target size: could not fit the export in ${spec.targetSizeMB} MB (the smallest try was ${(actualBytes / MB).toFixed(1)} MB). Choose a larger size${spec.format === 'gif' ? ', MP4 instead of GIF,' : ''} or a smaller picture size.`,
    );
  }
  if (spec.format !== 'gif') return { ...budget, videoKbps: Math.floor(budget.videoKbps * ratio) };
  // GIF size goes with pixels x frames: take the picture down first, the frame rate once it is small.
  const height = Math.max(MIN_GIF_HEIGHT, even(budget.gifHeight * Math.sqrt(ratio)));
  const left = ratio / ((height / budget.gifHeight) ** 2);
  const fps = left < 0.95 ? Math.max(MIN_GIF_FPS, Math.floor(budget.gifFps * left)) : budget.gifFps;
  return { ...budget, gifHeight: height, gifFps: fps };
}
