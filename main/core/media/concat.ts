import { writeFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { runFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';
import { probeMedia } from './probe';
import { tempSibling } from './tempOutput';

/** What must be equal for chunks to be joined by copying packets (no re-encode). */
export function streamSignature(info: MediaInfo): string {
  const v = info.video;
  const a = info.audio;
  return JSON.stringify([
    info.container,
    v ? [v.codec, v.width, v.height, v.pixFmt, v.rFrameRate] : null,
    a ? [a.codec, a.sampleRate, a.channels] : null,
  ]);
}

/** The concat demuxer's list syntax: single quotes, with a quote written as '\''. */
export const concatListLine = (path: string): string => `file '${path.replace(/'/g, "'\\''")}'`;

export interface ConcatResult {
  reencoded: boolean;
}

/**
 * Joins chunk videos in order. When their streams match, the concat demuxer copies packets (fast,
 * lossless); otherwise they are re-encoded through the concat filter.
 */
export async function concatVideos(files: string[], output: string, options: { tools?: ToolPreferences; signal?: AbortSignal } = {}): Promise<ConcatResult> {
  if (files.length === 0) throw new StudioError('invalid_input', 'There is nothing to join: no chunk files were given.');
  const infos = await Promise.all(files.map((f) => probeMedia(f, { tools: options.tools })));
  const total = infos.reduce((s, i) => s + (i.durationSec ?? 0), 0);
  const same = infos.every((i) => streamSignature(i) === streamSignature(infos[0] as MediaInfo));
  await mkdir(dirname(output), { recursive: true });
  if (same) {
    const list = tempSibling(`${output}.txt`);
    await writeFile(list, `${files.map(concatListLine).join('\n')}\n`);
    try {
      await runFfmpeg({
        label: `Joining ${files.length} chunks`,
        outputs: [output],
        args: ([tmp]) => ['-f', 'concat', '-safe', '0', '-i', fileUrl(list), '-map', '0', '-c', 'copy', '-movflags', '+faststart', fileUrl(tmp as string)],
        durationSec: total,
        tools: options.tools,
        signal: options.signal,
      });
    } finally {
      await rm(list, { force: true });
    }
    return { reencoded: false };
  }
  const first = infos[0] as MediaInfo;
  const hasAudio = infos.every((i) => i.audio);
  const w = first.video?.width ?? 0;
  const h = first.video?.height ?? 0;
  const norm = infos.map((_, i) => `[${i}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${first.video?.fps ?? 25}[v${i}]`);
  const pads = infos.map((_, i) => `[v${i}]${hasAudio ? `[${i}:a:0]` : ''}`).join('');
  await runFfmpeg({
    label: `Joining ${files.length} chunks`,
    outputs: [output],
    args: ([tmp]) => [
      ...files.flatMap((f) => ['-i', fileUrl(f)]),
      '-filter_complex', `${norm.join(';')};${pads}concat=n=${files.length}:v=1:a=${hasAudio ? 1 : 0}[v]${hasAudio ? '[a]' : ''}`,
      '-map', '[v]', ...(hasAudio ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '192k'] : []),
      '-c:v', 'libx264', '-crf', '16', '-preset', 'medium', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', fileUrl(tmp as string),
    ],
    durationSec: total,
    tools: options.tools,
    signal: options.signal,
  });
  return { reencoded: true };
}
