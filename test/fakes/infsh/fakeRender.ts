import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Stands in for the GPU: makes a real, watchable mp4 from the uploaded inputs so downloads,
 * probes, posters and screenshots all have something true to work on. S2V: the portrait held
 * over the audio. Animate: the driving video with the character inset. Not a model, just honest
 * plumbing.
 */
export async function renderS2v(image: string, audio: string, out: string, size: { w: number; h: number }, fps: number): Promise<void> {
  await run('ffmpeg', [
    '-v', 'error', '-y', '-loop', '1', '-framerate', String(fps), '-i', image, '-i', audio,
    '-vf', `scale=${size.w}:${size.h}:force_original_aspect_ratio=increase,crop=${size.w}:${size.h},format=yuv420p`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-c:a', 'aac', '-b:a', '192k', '-shortest', '-movflags', '+faststart', out,
  ]);
}

export async function renderAnimate(video: string, image: string, out: string, size: { w: number; h: number }, fps: number): Promise<void> {
  const inset = Math.round(size.h / 3);
  await run('ffmpeg', [
    '-v', 'error', '-y', '-i', video, '-i', image,
    '-filter_complex', `[0:v]scale=${size.w}:${size.h}:force_original_aspect_ratio=increase,crop=${size.w}:${size.h}${fps > 0 ? `,fps=${fps}` : ''}[bg];[1:v]scale=-2:${inset}[c];[bg][c]overlay=16:16,format=yuv420p[v]`,
    '-map', '[v]', '-map', '0:a?', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', '+faststart', out,
  ]);
}

/** S2V's area presets with the portrait's aspect, sides multiples of 64 (research/wan22.md §1.2, simplified). */
export function s2vSize(resolution: string, aspect: number): { w: number; h: number } {
  const area = resolution === '480p' ? 480 * 832 : 720 * 1280;
  const h = Math.floor(Math.sqrt(area / aspect) / 64) * 64;
  const w = Math.floor((h * aspect) / 64) * 64;
  return { w: Math.max(64, w), h: Math.max(64, h) };
}
