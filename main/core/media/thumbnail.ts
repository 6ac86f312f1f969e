import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { StudioError } from '../contract/errors';
import { resolveTool, type ToolPreferences } from './ffmpegBinaries';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';
import { lastErrorLine, runProcess } from './runProcess';

export interface ThumbnailOptions {
  tools?: ToolPreferences;
  signal?: AbortSignal;
  /** Longest side of the thumbnail in pixels. */
  size?: number;
}

/**
 * Writes a JPEG thumbnail: a downscaled still, a frame from 10% into a video, or a waveform picture
 * for audio. Written to a temp name and renamed, so a half-written thumbnail never exists.
 */
export async function makeThumbnail(
  source: string,
  info: MediaInfo,
  target: string,
  options: ThumbnailOptions = {},
): Promise<void> {
  const ffmpeg = resolveTool('ffmpeg', options.tools);
  const size = options.size ?? 320;
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp.jpg`;
  const fit = `scale=w='min(${size},iw)':h='min(${size},ih)':force_original_aspect_ratio=decrease:flags=bicubic`;
  let args: string[];
  if (info.kind === 'audio') {
    const h = Math.round(size * 0.375);
    args = ['-filter_complex', `showwavespic=s=${size}x${h}:split_channels=0:colors=0x6ea8fe`, '-frames:v', '1'];
    args = ['-v', 'error', '-y', '-i', fileUrl(source), ...args];
  } else {
    const seek = info.kind === 'video' && info.durationSec ? Math.min(info.durationSec * 0.1, 10) : 0;
    args = ['-v', 'error', '-y'];
    if (seek > 0) args.push('-ss', seek.toFixed(3));
    args.push('-i', fileUrl(source), '-frames:v', '1', '-vf', fit);
  }
  args.push('-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', fileUrl(tmp));
  try {
    const result = await runProcess(ffmpeg.path, args, { signal: options.signal, timeoutMs: 120_000 });
    if (result.aborted) throw new StudioError('cancelled', `Making a thumbnail of ${basename(source)} was cancelled.`);
    if (result.code !== 0) {
      throw new StudioError(
        'unsupported_media',
        `Could not make a thumbnail of ${basename(source)} (${lastErrorLine(result.stderrTail)}).`,
      );
    }
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}
