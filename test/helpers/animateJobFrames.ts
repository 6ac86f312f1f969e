import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { AnimateJob } from '../../common/animate/animateJob';
import { realMedia } from './realMedia';

/**
 * The raw frame files of an AnimateJob made from real media with ffmpeg, for tests of the render itself
 * (not of the preprocessing): the reference is messi5.jpg letterboxed (black bars, centred) as the official
 * padding_resize does; the "poses" are Megamind.avi's edges (line drawings on black, like Wan's pose
 * images); the face crops its centre square; in replacement mode the background is the video and the mask
 * a moving box (255 = the character's area). Every file holds `frames` frames at 16 fps.
 */
export type AnimateFrameFiles = Pick<AnimateJob, 'refRgb' | 'poseRgb' | 'faceRgb' | 'faceSize' | 'backgroundRgb' | 'maskGray' | 'realLen' | 'width' | 'height' | 'fps'>;

function ffmpeg(args: string[]): void {
  execFileSync(process.env.FFMPEG_BIN ?? 'ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'pipe' });
}

export function writeAnimateFrames(dir: string, opts: { width: number; height: number; faceSize: number; frames: number; mode: AnimateJob['mode'] }): AnimateFrameFiles {
  const { width: w, height: h, faceSize: s, frames: n } = opts;
  const video = realMedia('Megamind.avi');
  const clip = ['-ss', '3', '-i', video, '-frames:v', String(n)];
  const raw = (pix: string) => ['-f', 'rawvideo', '-pix_fmt', pix];
  const refRgb = join(dir, 'ref.rgb');
  ffmpeg(['-i', realMedia('messi5.jpg'), '-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black`, '-frames:v', '1', ...raw('rgb24'), refRgb]);
  const poseRgb = join(dir, 'pose.rgb');
  ffmpeg([...clip, '-vf', `fps=16,scale=${w}:${h},edgedetect=low=0.1:high=0.3`, ...raw('rgb24'), poseRgb]);
  const faceRgb = join(dir, 'face.rgb');
  ffmpeg([...clip, '-vf', `fps=16,crop=ih:ih,scale=${s}:${s}`, ...raw('rgb24'), faceRgb]);
  let backgroundRgb: string | null = null;
  let maskGray: string | null = null;
  if (opts.mode === 'replacement') {
    backgroundRgb = join(dir, 'background.rgb');
    ffmpeg([...clip, '-vf', `fps=16,scale=${w}:${h}`, ...raw('rgb24'), backgroundRgb]);
    maskGray = join(dir, 'mask.gray');
    // A box that moves right one pixel per frame over a black frame.
    ffmpeg(['-f', 'lavfi', '-i', `color=black:s=${w}x${h}:r=16`, '-frames:v', String(n), '-vf', `geq=lum='if(between(X,${w / 4}+N,${w / 4}+N+${w / 2})*gte(Y,${h / 8}),255,0)'`, ...raw('gray'), maskGray]);
  }
  return { refRgb, poseRgb, faceRgb, faceSize: s, backgroundRgb, maskGray, realLen: n, width: w, height: h, fps: 16 };
}
