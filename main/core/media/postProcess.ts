import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import { exportFormatInfo, type PostProcessSpec } from '../contract/postProcess';
import type { ToolPreferences } from './ffmpegBinaries';
import { runFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import { loudnormFilter, measureLoudness } from './loudnorm';
import type { MediaInfo } from './mediaInfo';
import { containerArgs } from './outputMetadata';
import type { FfmpegProgress } from './progress';
import { firstBudget, nextBudget, type SizeBudget } from './targetSize';

export interface PostProcessInput {
  video: string;
  info: MediaInfo;
  /** Audio to mux in instead of the video's own (S2V: the trimmed speech). */
  audio?: { path: string; info: MediaInfo } | null;
}

export interface PostProcessOptions {
  metadata?: Record<string, unknown>;
  tools?: ToolPreferences;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress & { stage: 'loudness' | 'encode' }) => void;
  displayName?: string;
}

const defaultCrf: Record<string, number> = { h264: 18, h265: 22, vp9: 31 };

/** The picture chain: frame-rate conversion first (on fewer pixels), then lanczos scaling. */
export function videoFilters(spec: PostProcessSpec): string[] {
  const f: string[] = [];
  if (spec.fps) {
    f.push(
      spec.fps.method === 'interpolate'
        ? `minterpolate=fps=${spec.fps.target}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1`
        : `fps=${spec.fps.target}`,
    );
  }
  if (spec.height) f.push(`scale=-2:${spec.height}:flags=lanczos`);
  return f;
}

/** Quality-driven (CRF) by default; with a target size, an average bitrate held under a cap. */
function rateArgs(spec: PostProcessSpec, budget: SizeBudget | null): string[] {
  if (!budget) return ['-crf', String(spec.crf ?? defaultCrf[spec.format] ?? 18)];
  const v = budget.videoKbps;
  return ['-b:v', `${v}k`, '-maxrate', `${Math.floor(v * 1.1)}k`, '-bufsize', `${v * 2}k`];
}

function codecArgs(spec: PostProcessSpec, hasAudio: boolean, budget: SizeBudget | null): string[] {
  const crf = String(spec.crf ?? defaultCrf[spec.format] ?? 18);
  const aac = hasAudio ? ['-c:a', 'aac', '-b:a', budget ? `${budget.audioKbps}k` : '192k'] : [];
  switch (spec.format) {
    case 'h264':
      return ['-c:v', 'libx264', '-preset', 'slow', ...rateArgs(spec, budget), '-pix_fmt', 'yuv420p', ...aac];
    case 'h265':
      return ['-c:v', 'libx265', '-preset', 'medium', ...rateArgs(spec, budget), '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1', ...aac];
    case 'prores':
      return ['-c:v', 'prores_ks', '-profile:v', '3', '-vendor', 'apl0', '-pix_fmt', 'yuv422p10le', ...(hasAudio ? ['-c:a', 'pcm_s16le'] : [])];
    case 'vp9':
      return ['-c:v', 'libvpx-vp9', '-crf', crf, '-b:v', '0', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4', '-pix_fmt', 'yuv420p', ...(hasAudio ? ['-c:a', 'libopus', '-b:a', '160k'] : [])];
    case 'gif':
      return [];
  }
}

export interface PostProcessPlan {
  label: string;
  durationSec: number;
  /** ffmpeg arguments after the global options, given the temp output path. */
  args: (tempOutput: string) => string[];
}

/**
 * Plans an export preset: audio muxed so the picture never outruns the sound, optional frame-rate
 * conversion and lanczos scaling, the chosen encoder, optional EBU R128 loudness normalisation
 * (its measuring pass runs here), and the render's settings written into the file's metadata.
 */
export async function planPostProcess(input: PostProcessInput, spec: PostProcessSpec, options: PostProcessOptions = {}, budget: SizeBudget | null = null): Promise<PostProcessPlan> {
  const name = options.displayName ?? input.video;
  if (!input.info.video || !input.info.durationSec) throw new StudioError('unsupported_media', `${name} has no video to export.`);
  const fmt = exportFormatInfo[spec.format];
  const audioSource = spec.format === 'gif' ? null : input.audio ? { path: input.audio.path, index: 1, info: input.audio.info } : input.info.audio ? { path: input.video, index: 0, info: input.info } : null;
  const duration = Math.min(input.info.durationSec, audioSource?.info.durationSec ?? Infinity);

  const audioFilters: string[] = [];
  if (spec.loudnorm && audioSource) {
    const m = await measureLoudness(audioSource.path, { tools: options.tools, signal: options.signal, displayName: name });
    // loudnorm leaves the channel layout open; the encoders need it pinned.
    const layout = (audioSource.info.audio?.channels ?? 2) >= 2 ? 'stereo' : 'mono';
    audioFilters.push(loudnormFilter(m), 'aresample=48000', `aformat=channel_layouts=${layout}`);
  }

  const vf = videoFilters(spec);
  const inputs = ['-i', fileUrl(input.video), ...(input.audio && audioSource ? ['-i', fileUrl(input.audio.path)] : [])];
  let mapping: string[];
  if (spec.format === 'gif') {
    // A size budget sets the frame rate and picture size itself (a GIF has no bitrate to set).
    const pre = (budget ? [`fps=${budget.gifFps}`, `scale=-2:${budget.gifHeight}:flags=lanczos`] : [...vf, ...(spec.fps ? [] : ['fps=15'])]).join(',') || 'null';
    mapping = ['-filter_complex', `[0:v:0]${pre},split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=sierra2_4a[out]`, '-map', '[out]', '-an'];
  } else {
    mapping = ['-map', '0:v:0', ...(vf.length ? ['-vf', vf.join(',')] : [])];
    if (audioSource) mapping.push('-map', `${audioSource.index}:a:0`, ...(audioFilters.length ? ['-af', audioFilters.join(',')] : []), '-shortest');
    else mapping.push('-an');
  }
  return {
    label: `Exporting ${name} as ${fmt.label}`,
    durationSec: duration,
    args: (tmp) => [
      ...inputs,
      ...mapping,
      '-t', duration.toFixed(6),
      ...codecArgs(spec, !!audioSource, budget),
      ...containerArgs(fmt.container, options.metadata),
      ...(spec.format === 'gif' ? ['-f', 'gif'] : []),
      fileUrl(tmp),
    ],
  };
}

/**
 * Runs an export preset (see planPostProcess) into `output`, written under a temp name and renamed.
 * With a target size, the first encode aims at the bitrate the size allows over the duration; one
 * that still comes out too large is encoded again, smaller by how far it missed.
 */
export async function runPostProcess(input: PostProcessInput, spec: PostProcessSpec, output: string, options: PostProcessOptions = {}): Promise<void> {
  await mkdir(dirname(output), { recursive: true });
  const durationSec = Math.min(input.info.durationSec ?? 0, input.audio?.info.durationSec ?? Infinity);
  const hasAudio = spec.format !== 'gif' && !!(input.audio ?? input.info.audio);
  let budget = spec.targetSizeMB && durationSec > 0 ? firstBudget(spec, durationSec, hasAudio, input.info.video?.height ?? 480) : null;
  for (let attempt = 1; ; attempt++) {
    await encodeOnce(input, spec, output, options, budget);
    if (!budget) return;
    try {
      const next = nextBudget(spec, budget, (await stat(output)).size, attempt);
      if (!next) return;
      budget = next;
    } catch (e) {
      // A file over the size asked for is not a result.
      await rm(output, { force: true });
      throw e;
    }
  }
}

async function encodeOnce(input: PostProcessInput, spec: PostProcessSpec, output: string, options: PostProcessOptions, budget: SizeBudget | null): Promise<void> {
  const plan = await planPostProcess(input, spec, options, budget);
  await runFfmpeg({
    label: plan.label,
    outputs: [output],
    args: ([tmp]) => plan.args(tmp as string),
    durationSec: plan.durationSec,
    tools: options.tools,
    signal: options.signal,
    onProgress: (p) => options.onProgress?.({ ...p, stage: 'encode' }),
    hidePaths: [input.video, ...(input.audio ? [input.audio.path] : [])],
  });
}
