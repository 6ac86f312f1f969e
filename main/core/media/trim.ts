import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import type { TrimRange } from '../contract/types';
import type { ToolPreferences } from './ffmpegBinaries';
import { runFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';
import { probeMedia } from './probe';
import type { FfmpegProgress } from './progress';

/** The model's audio encoder (wav2vec2) takes 16 kHz mono. */
export const MODEL_AUDIO_RATE = 16_000;

export interface TrimWindow {
  startSec: number;
  durationSec: number;
}

/** Clamps a trim to the media and explains a window that is empty or outside it. */
export function resolveTrim(info: MediaInfo, trim: TrimRange | undefined, name: string): TrimWindow {
  const total = info.durationSec ?? 0;
  const start = trim?.inSec ?? 0;
  const end = Math.min(trim?.outSec ?? total, total);
  if (start >= total) {
    throw new StudioError('invalid_input', `The in point (${start.toFixed(2)} s) is past the end of ${name} (${total.toFixed(2)} s). Move it earlier.`);
  }
  if (end - start < 0.04) {
    throw new StudioError('invalid_input', `The trimmed part of ${name} is empty (${start.toFixed(2)}-${end.toFixed(2)} s). Widen the in/out points.`);
  }
  return { startSec: start, durationSec: end - start };
}

export interface CommonOptions {
  tools?: ToolPreferences;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  displayName?: string;
}

export interface MaterializedAudio {
  /** 16 kHz mono 16-bit WAV for the model's audio encoder. */
  modelWav: string;
  /** The same span at the source's rate (at most stereo) for the final mux. */
  muxWav: string;
  durationSec: number;
}

/**
 * Cuts the trimmed span of the audio into two WAVs in one decode: one for the model, one for the
 * mux. Sample-accurate: -ss before -i seeks, then decoding resumes exactly at the in point.
 */
export async function materializeAudio(
  source: string,
  info: MediaInfo,
  trim: TrimRange | undefined,
  targets: { modelWav: string; muxWav: string },
  options: CommonOptions = {},
): Promise<MaterializedAudio> {
  const name = options.displayName ?? source;
  if (!info.audio) throw new StudioError('unsupported_media', `${name} has no audio track. Pick a file with sound.`);
  const win = resolveTrim(info, trim, name);
  const muxChannels = Math.min(2, Math.max(1, info.audio.channels));
  await mkdir(dirname(targets.modelWav), { recursive: true });
  await mkdir(dirname(targets.muxWav), { recursive: true });
  await runFfmpeg({
    label: `Preparing the audio of ${name}`,
    outputs: [targets.modelWav, targets.muxWav],
    args: ([model, mux]) => [
      '-ss', win.startSec.toFixed(6), '-i', fileUrl(source),
      // Output options apply to the next output only: each WAV gets its own -t.
      // Canonical 44-byte headers (no LIST chunk): the inference worker reads these WAVs directly.
      '-map', '0:a:0', '-vn', '-t', win.durationSec.toFixed(6), '-ac', '1', '-ar', String(MODEL_AUDIO_RATE), '-c:a', 'pcm_s16le', '-map_metadata', '-1', '-fflags', '+bitexact', '-f', 'wav', fileUrl(model as string),
      '-map', '0:a:0', '-vn', '-t', win.durationSec.toFixed(6), '-ac', String(muxChannels), '-c:a', 'pcm_s16le', '-map_metadata', '-1', '-fflags', '+bitexact', '-f', 'wav', fileUrl(mux as string),
    ],
    durationSec: win.durationSec,
    signal: options.signal,
    onProgress: options.onProgress,
    tools: options.tools,
    hidePaths: [source],
  });
  // Both cuts are checked: the model's and the mux's must cover the same span.
  let got = 0;
  for (const file of [targets.modelWav, targets.muxWav]) {
    const probed = await probeMedia(file, { tools: options.tools, displayName: `the prepared audio of ${name}` });
    got = probed.durationSec ?? 0;
    if (Math.abs(got - win.durationSec) > 0.05) {
      throw new StudioError('io_error', `Preparing the audio of ${name} produced ${got.toFixed(3)} s instead of ${win.durationSec.toFixed(3)} s; the file may be damaged.`);
    }
  }
  return { ...targets, durationSec: got };
}

export type FitMode = 'fit' | 'fill' | 'letterbox';

export interface VideoTarget {
  /** Frames per second of the result; -1 keeps the source's rate. */
  fps: number;
  width: number;
  height: number;
  mode: FitMode;
}

/** The scale/crop/pad chain for a fit mode. Sides stay even (yuv420p needs it). */
export function fitFilter(t: Pick<VideoTarget, 'width' | 'height' | 'mode'>): string {
  const { width: w, height: h } = t;
  switch (t.mode) {
    case 'fill':
      return `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=lanczos,crop=${w}:${h}`;
    case 'letterbox':
      return `scale=${w}:${h}:force_original_aspect_ratio=decrease:flags=lanczos,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`;
    case 'fit':
      return `scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=lanczos`;
  }
}

export interface MaterializedVideo {
  path: string;
  fps: number;
  frames: number;
  durationSec: number;
  width: number;
  height: number;
}

/**
 * Re-encodes the trimmed span at a constant frame rate and target size. Frame-accurate: the
 * seek decodes up to the exact in point, the fps filter makes a variable-rate source constant,
 * and the result is probed: its frame count must be the expected one within one frame.
 */
export async function materializeVideo(
  source: string,
  info: MediaInfo,
  trim: TrimRange | undefined,
  target: VideoTarget,
  output: string,
  options: CommonOptions = {},
): Promise<MaterializedVideo> {
  const name = options.displayName ?? source;
  if (!info.video || info.kind !== 'video') throw new StudioError('unsupported_media', `${name} has no video stream. Pick a video file.`);
  const win = resolveTrim(info, trim, name);
  const fps = target.fps === -1 ? (info.video.fps ?? 25) : target.fps;
  if (!(fps > 0 && fps <= 240)) throw new StudioError('invalid_input', `fps ${target.fps}: must be between 1 and 240, or -1 for the source's rate.`);
  const expectedFrames = Math.max(1, Math.round(win.durationSec * fps));
  await mkdir(dirname(output), { recursive: true });
  await runFfmpeg({
    label: `Preparing the video of ${name}`,
    outputs: [output],
    args: ([tmp]) => [
      '-ss', win.startSec.toFixed(6), '-i', fileUrl(source),
      '-map', '0:v:0', '-an', '-sn',
      '-vf', `fps=${fps},${fitFilter(target)},setsar=1,format=yuv420p`,
      '-frames:v', String(expectedFrames),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-g', String(Math.max(1, Math.round(fps))),
      '-movflags', '+faststart', fileUrl(tmp as string),
    ],
    durationSec: win.durationSec,
    signal: options.signal,
    onProgress: options.onProgress,
    tools: options.tools,
    hidePaths: [source],
  });
  const probed = await probeMedia(output, { tools: options.tools, displayName: `the prepared video of ${name}` });
  const frames = probed.video?.frameCount ?? Math.round((probed.durationSec ?? 0) * fps);
  const durationSec = probed.durationSec ?? 0;
  if (Math.abs(frames - expectedFrames) > 1 || Math.abs(durationSec - expectedFrames / fps) > 1.5 / fps) {
    throw new StudioError(
      'io_error',
      `Preparing the video of ${name} produced ${frames} frames (${durationSec.toFixed(3)} s) instead of ${expectedFrames}; the source may be damaged.`,
    );
  }
  return { path: output, fps, frames, durationSec, width: probed.video?.width ?? target.width, height: probed.video?.height ?? target.height };
}
