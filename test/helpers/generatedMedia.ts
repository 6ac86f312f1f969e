import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Small real media made by ffmpeg for the foundation tests (the media engine has its own, richer set). */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `wan-${prefix}-`));
}

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

export function makePng(path: string, size = '320x240'): string {
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=s=${size}`, '-frames:v', '1', path]);
  return path;
}

export function makeWav(path: string, seconds = 2, rate = 44100): string {
  ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ar', String(rate), '-ac', '1', path]);
  return path;
}

export function makeMp4(path: string, seconds = 2, size = '320x240'): string {
  ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=25:d=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path,
  ]);
  return path;
}

export function makeTextFile(path: string, text = 'this is not a video\n'): string {
  writeFileSync(path, text);
  return path;
}
