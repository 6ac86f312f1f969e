import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { startFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';
import { fitFilter, type FitMode } from './trim';

export interface ReadFramesOptions {
  /** Output size; defaults to the display size. */
  width?: number;
  height?: number;
  mode?: FitMode;
  /** Resample to this rate; defaults to the source's frames as they are. */
  fps?: number;
  startSec?: number;
  durationSec?: number;
  tools?: ToolPreferences;
  signal?: AbortSignal;
  displayName?: string;
}

/**
 * Decodes a video into raw RGB24 frames, one Buffer of width*height*3 bytes per frame. Pulled,
 * not pushed: ffmpeg is paused by the pipe whenever the consumer is slower, so memory holds at
 * most a frame or two however long the video is. Breaking out of the loop stops ffmpeg.
 */
export async function* readFrames(source: string, info: MediaInfo, options: ReadFramesOptions = {}): AsyncGenerator<Buffer, void, void> {
  const name = options.displayName ?? source;
  if (!info.video) throw new StudioError('unsupported_media', `${name} has no video stream.`);
  const width = options.width ?? info.video.width;
  const height = options.height ?? info.video.height;
  const frameBytes = width * height * 3;
  const filters = [
    ...(options.fps ? [`fps=${options.fps}`] : []),
    width !== info.video.width || height !== info.video.height ? fitFilter({ width, height, mode: options.mode ?? 'fill' }) : null,
    'format=rgb24',
  ].filter((f): f is string => f !== null);
  const run = startFfmpeg({
    label: `Reading frames of ${name}`,
    outputs: [],
    args: () => [
      ...(options.startSec ? ['-ss', options.startSec.toFixed(6)] : []),
      '-i', fileUrl(source),
      ...(options.durationSec ? ['-t', options.durationSec.toFixed(6)] : []),
      '-map', '0:v:0', '-an', '-sn', '-vf', filters.join(','), '-flush_packets', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ],
    tools: options.tools,
    signal: options.signal,
    stdoutData: true,
    hidePaths: [source],
  });
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  let finished = false;
  try {
    for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        chunk.copy(frame, filled, offset, offset + take);
        filled += take;
        offset += take;
        if (filled === frameBytes) {
          yield frame;
          frame = Buffer.allocUnsafe(frameBytes);
          filled = 0;
        }
      }
    }
    await run.done;
    finished = true;
  } finally {
    // The consumer stopped early (break/throw): ffmpeg must not keep running behind it.
    if (!finished) {
      run.cancel();
      await run.done.catch(() => undefined);
    }
  }
}
