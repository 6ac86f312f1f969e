import { execFileSync } from 'node:child_process';

/** One frame of a video or an image as RGB (ffmpeg), for tests that feed the detector directly. */
export function rgbFrame(path: string, atSec = 0): { width: number; height: number; rgb: Uint8Array } {
  const [width, height] = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path])
    .toString()
    .trim()
    .split(',')
    .map(Number) as [number, number];
  const rgb = execFileSync('ffmpeg', ['-v', 'error', ...(atSec > 0 ? ['-ss', String(atSec)] : []), '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 28 });
  return { width, height, rgb: new Uint8Array(rgb) };
}
