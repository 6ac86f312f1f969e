import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ToolPreferences } from './ffmpegBinaries';
import { runFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';

const WEB_VIDEO = new Set(['h264', 'vp8', 'vp9', 'av1']);
const WEB_AUDIO = new Set(['aac', 'mp3', 'opus', 'vorbis', 'flac', 'pcm_s16le', 'pcm_f32le']);
const WEB_CONTAINERS = new Set(['mp4', 'mov', 'webm', 'mkv', 'wav', 'mp3', 'ogg', 'flac', 'aac']);

/** Whether Chromium (the page, in the app or a browser) can play this file as it is. */
export function playsInBrowser(info: MediaInfo): boolean {
  if (info.kind === 'image') return true;
  if (!WEB_CONTAINERS.has(info.container)) return false;
  if (info.video && info.kind === 'video' && (!WEB_VIDEO.has(info.video.codec) || (info.video.bitDepth ?? 8) > 8)) return false;
  if (info.audio && !WEB_AUDIO.has(info.audio.codec)) return false;
  return true;
}

/**
 * A copy the page can play, for originals it cannot (AVI, AC3, ProRes, 10-bit...): H.264 at most
 * 720p with AAC for videos, AAC for sound. Only for previewing; renders always use the original.
 */
export async function makePlaybackCopy(source: string, info: MediaInfo, target: string, options: { tools?: ToolPreferences; signal?: AbortSignal; displayName?: string } = {}): Promise<void> {
  const name = options.displayName ?? source;
  await mkdir(dirname(target), { recursive: true });
  const video = info.kind === 'video' && info.video;
  await runFfmpeg({
    label: `Making a playable preview of ${name}`,
    outputs: [target],
    args: ([tmp]) => [
      '-i', fileUrl(source),
      ...(video ? ['-map', '0:v:0', '-vf', "scale=w='min(1280,iw)':h=-2:flags=bicubic,format=yuv420p", '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23'] : ['-vn']),
      ...(info.audio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '160k', '-ac', String(Math.min(2, info.audio.channels || 2))] : ['-an']),
      '-movflags', '+faststart', '-f', 'mp4', fileUrl(tmp as string),
    ],
    durationSec: info.durationSec,
    tools: options.tools,
    signal: options.signal,
    hidePaths: [source],
  });
}
