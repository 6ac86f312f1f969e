import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { startFfmpeg, type FfmpegRun } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import { containerArgs } from './outputMetadata';
import { probeMedia } from './probe';
import type { FfmpegProgress } from './progress';

export interface FrameWriterOptions {
  output: string;
  width: number;
  height: number;
  fps: number;
  /** Muxed in at the end; the result stops with the shorter of picture and sound. */
  audio?: string;
  crf?: number;
  preset?: string;
  /** Settings and seed of the render, written into the file's metadata. */
  metadata?: Record<string, unknown>;
  tools?: ToolPreferences;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  label?: string;
}

/**
 * Waits until the pipe takes more (drain), closes, or ffmpeg ends, then removes its listeners:
 * a long render waits here thousands of times and must not pile them up.
 */
async function waitForRoom(stdin: NodeJS.WritableStream, done: Promise<void>): Promise<void> {
  const stop = new AbortController();
  const quiet = <T>(p: Promise<T>) => p.then(() => undefined, () => undefined);
  try {
    await Promise.race([
      quiet(once(stdin, 'drain', { signal: stop.signal })),
      quiet(once(stdin, 'close', { signal: stop.signal })),
      quiet(done),
    ]);
  } finally {
    stop.abort();
  }
}

export interface FrameWriter {
  /** Resolves when ffmpeg has taken the frame (waits on the pipe when it is busy). */
  write(frame: Buffer): Promise<void>;
  /** Closes the stream and waits for the finished, renamed file. */
  finish(): Promise<{ frames: number }>;
  /** Stops ffmpeg and removes the partial file. */
  abort(): Promise<void>;
}

/**
 * Encodes raw RGB24 frames into an H.264 mp4 as they come: frames go straight into ffmpeg's
 * stdin and nothing is buffered here beyond the frame being written, so memory does not grow
 * with the video's length.
 */
export async function createFrameWriter(options: FrameWriterOptions): Promise<FrameWriter> {
  const { width, height, fps } = options;
  if (width % 2 || height % 2) throw new StudioError('invalid_input', `Frame size ${width}x${height}: both sides must be even for H.264.`);
  const frameBytes = width * height * 3;
  await mkdir(dirname(options.output), { recursive: true });
  const label = options.label ?? `Encoding ${options.output}`;
  // -shortest alone lets buffered frames run past the end of the sound; the audio's own length
  // is the hard stop, so the picture never outruns it.
  const audioSec = options.audio ? (await probeMedia(options.audio, { tools: options.tools })).durationSec : null;
  const run: FfmpegRun = startFfmpeg({
    label,
    outputs: [options.output],
    args: ([tmp]) => [
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-framerate', String(fps), '-i', 'pipe:0',
      ...(options.audio ? ['-i', fileUrl(options.audio)] : []),
      '-map', '0:v:0', ...(options.audio ? ['-map', '1:a:0', '-c:a', 'aac', '-b:a', '192k', '-shortest'] : []),
      ...(audioSec ? ['-t', audioSec.toFixed(6)] : []),
      '-c:v', 'libx264', '-preset', options.preset ?? 'medium', '-crf', String(options.crf ?? 18), '-pix_fmt', 'yuv420p',
      ...containerArgs('mp4', options.metadata),
      fileUrl(tmp as string),
    ],
    stdin: true,
    tools: options.tools,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const stdin = run.stdin;
  if (!stdin) throw new StudioError('internal', 'ffmpeg started without a stdin pipe.');
  // EPIPE when ffmpeg stops reading: either it failed (reported through `done`) or it reached the
  // end of the audio and needs no more frames (those frames are dropped on purpose).
  stdin.on('error', () => undefined);
  let closed = false;
  stdin.on('close', () => {
    closed = true;
  });
  let frames = 0;
  let failed: unknown = null;
  run.done.catch((e: unknown) => {
    failed = e;
  });

  return {
    async write(frame) {
      if (failed) throw failed;
      if (frame.length !== frameBytes) {
        throw new StudioError('invalid_input', `A frame of ${frame.length} bytes does not match ${width}x${height} RGB (${frameBytes} bytes).`);
      }
      frames++;
      if (closed) return;
      if (!stdin.write(frame)) {
        await waitForRoom(stdin, run.done);
      }
      if (failed) throw failed;
    },
    async finish() {
      if (!closed) stdin.end();
      await run.done;
      return { frames };
    },
    async abort() {
      run.cancel();
      await run.done.catch(() => undefined);
    },
  };
}
