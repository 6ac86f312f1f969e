import { StudioError } from '../contract/errors';
import { startFfmpeg } from '../media/ffmpegCommand';
import { readFrames } from '../media/frameReader';
import { probeMedia } from '../media/probe';
import { basename } from 'node:path';
import type { RgbImage } from './previewDetector';

/** One frame of a video (at `atSec`) or an image, as RGB at its display size. */
export async function readStill(path: string, atSec: number): Promise<RgbImage & { durationSec: number | null }> {
  const name = basename(path);
  const info = await probeMedia(path, { displayName: name });
  if (!info.video) throw new StudioError('unsupported_media', `${name} has no picture: choose a video or an image.`);
  const duration = info.durationSec ?? null;
  if (duration !== null && duration > 0 && atSec >= duration) {
    throw new StudioError('invalid_input', `--at ${atSec} s is past the end of ${name} (${duration.toFixed(2)} s long): choose a time before it.`);
  }
  for await (const frame of readFrames(path, info, { startSec: atSec > 0 ? atSec : undefined, displayName: name })) {
    return { width: info.video.width, height: info.video.height, rgb: new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength), durationSec: duration };
  }
  throw new StudioError('unsupported_media', `${name} has no frame at ${atSec} s.`);
}

/** Writes RGB pixels as a PNG (temp file + rename, through ffmpeg). */
export async function writePng(path: string, image: RgbImage): Promise<void> {
  const run = startFfmpeg({
    label: `Writing ${basename(path)}`,
    outputs: [path],
    stdin: true,
    args: ([tmp]) => ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${image.width}x${image.height}`, '-i', 'pipe:0', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', tmp!],
  });
  run.stdin?.end(Buffer.from(image.rgb.buffer, image.rgb.byteOffset, image.rgb.byteLength));
  await run.done;
}
