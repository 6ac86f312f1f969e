import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { runFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';

export interface Filmstrip {
  /** Times (seconds) of the frames, left to right. */
  times: number[];
  frameWidth: number;
  frameHeight: number;
}

export interface FilmstripOptions {
  count?: number;
  /** Height of each frame in the strip, in pixels. */
  height?: number;
  tools?: ToolPreferences;
  signal?: AbortSignal;
  displayName?: string;
}

/** Evenly spaced sample times, each in the middle of its slice so the first is not a black lead-in. */
export const filmstripTimes = (durationSec: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => Math.round(((i + 0.5) * durationSec * 1000) / count) / 1000);

/** Where the frames of a strip sit and how big they are: the same answer for the same video. */
export function filmstripGeometry(info: MediaInfo, count = 20, height = 90): Filmstrip {
  const v = info.video;
  const width = v ? Math.max(2, Math.round(((v.width / v.height) * height) / 2) * 2) : 2;
  return { times: filmstripTimes(info.durationSec ?? 0, count), frameWidth: width, frameHeight: height };
}

/**
 * One JPEG holding `count` small frames side by side. Each frame comes from its own fast seek
 * (-ss before -i jumps to the nearest keyframe and decodes only from there), all in one ffmpeg
 * process, so the cost is `count` short decodes rather than a pass over the whole video.
 */
export async function makeFilmstrip(source: string, info: MediaInfo, target: string, options: FilmstripOptions = {}): Promise<Filmstrip> {
  const name = options.displayName ?? source;
  const v = info.video;
  if (!v || info.kind !== 'video' || !info.durationSec) throw new StudioError('unsupported_media', `${name} is not a video, so it has no filmstrip.`);
  const { times, frameWidth: width, frameHeight: height } = filmstripGeometry(info, options.count, options.height);
  const count = times.length;
  // Frames far apart need not be exact: the keyframe at or before each time, decoding keyframes
  // only, costs one frame per seek instead of up to a whole GOP. Close together (short clips),
  // exact seeks keep neighbouring frames from repeating the same keyframe.
  const spacing = (info.durationSec ?? 0) / count;
  const seek = spacing >= 2 ? ['-skip_frame', 'nokey', '-noaccurate_seek'] : [];
  const inputs = times.flatMap((t) => [...seek, '-ss', t.toFixed(3), '-i', fileUrl(source)]);
  const scaled = times.map((_, i) => `[${i}:v:0]scale=${width}:${height}:flags=bicubic,setsar=1,format=yuvj420p[f${i}]`);
  const stack = `${times.map((_, i) => `[f${i}]`).join('')}hstack=inputs=${count}[strip]`;
  await mkdir(dirname(target), { recursive: true });
  await runFfmpeg({
    label: `Making the filmstrip of ${name}`,
    outputs: [target],
    args: ([tmp]) => [...inputs, '-filter_complex', `${scaled.join(';')};${stack}`, '-map', '[strip]', '-frames:v', '1', '-q:v', '5', '-f', 'image2', '-c:v', 'mjpeg', fileUrl(tmp as string)],
    signal: options.signal,
    tools: options.tools,
    hidePaths: [source],
  });
  return { times, frameWidth: width, frameHeight: height };
}

export interface PosterOptions {
  atSec?: number;
  maxWidth?: number;
  tools?: ToolPreferences;
  signal?: AbortSignal;
  displayName?: string;
}

/** A full-size still (at most maxWidth wide) for a video asset or a render: what a player shows before play. */
export async function makePoster(source: string, info: MediaInfo, target: string, options: PosterOptions = {}): Promise<void> {
  const name = options.displayName ?? source;
  if (!info.video || !info.durationSec) throw new StudioError('unsupported_media', `${name} is not a video, so it has no poster.`);
  const at = Math.min(options.atSec ?? Math.min(info.durationSec * 0.1, 5), Math.max(0, info.durationSec - 0.05));
  const maxWidth = options.maxWidth ?? 1280;
  await mkdir(dirname(target), { recursive: true });
  await runFfmpeg({
    label: `Making the poster of ${name}`,
    outputs: [target],
    args: ([tmp]) => [
      '-ss', at.toFixed(3), '-i', fileUrl(source), '-frames:v', '1',
      '-vf', `scale=w='min(${maxWidth},iw)':h=-2:flags=lanczos,format=yuvj420p`,
      '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', fileUrl(tmp as string),
    ],
    signal: options.signal,
    tools: options.tools,
    hidePaths: [source],
  });
}
