import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { startFfmpeg, type FfmpegRun } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import { containerArgs } from './outputMetadata';
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
  const run: FfmpegRun = startFfmpeg({
    label,
    outputs: [options.output],
    args: ([tmp]) => [
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-framerate', String(fps), '-i', 'pipe:0',
      ...(options.audio ? ['-i', fileUrl(options.audio)] : []),
      '-map', '0:v:0', ...(options.audio ? ['-map', '1:a:0', '-c:a', 'aac', '-b:a', '192k', '-shortest'] : []),
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
  stdin.on('error', () => undefined); // EPIPE when ffmpeg dies: reported through `done`.
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
      if (!stdin.write(frame)) {
        await Promise.race([once(stdin, 'drain'), run.done.then(() => undefined, () => undefined)]);
      }
      if (failed) throw failed;
    },
    async finish() {
      stdin.end();
      await run.done;
      return { frames };
    },
    async abort() {
      run.cancel();
      await run.done.catch(() => undefined);
    },
  };
}
