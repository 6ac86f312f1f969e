import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { StudioError } from '../contract/errors';
import { resolveTool, type ToolPreferences } from './ffmpegBinaries';
import type { AudioStreamInfo, MediaInfo, MediaKind, VideoStreamInfo } from './mediaInfo';
import { fileUrl } from './fileUrl';
import { lastErrorLine, runProcess } from './runProcess';

interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  coded_width?: number;
  coded_height?: number;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
  disposition?: { attached_pic?: number };
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string; bit_rate?: string };
}

const IMAGE_FORMATS = /(^|,)(image2|png_pipe|jpeg_pipe|webp_pipe|bmp_pipe|tiff_pipe|gif_pipe|jpegxl_pipe|qoi_pipe)(,|$)/;

export const parseRate = (rate: string | undefined): number | null => {
  if (!rate) return null;
  const [n, d] = rate.split('/').map(Number);
  if (n === undefined || !Number.isFinite(n) || n <= 0) return null;
  const den = d === undefined ? 1 : d;
  if (!Number.isFinite(den) || den <= 0) return null;
  return n / den;
};

const num = (s: string | number | undefined): number | null => {
  if (s === undefined || s === 'N/A') return null;
  const v = typeof s === 'number' ? s : Number(s);
  return Number.isFinite(v) ? v : null;
};

const normaliseRotation = (deg: number): number => (((Math.round(deg / 90) * 90) % 360) + 360) % 360;

function rotationOf(s: FfprobeStream): number {
  const fromSide = s.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  // The display matrix rotation is counter-clockwise; the legacy `rotate` tag is clockwise.
  if (typeof fromSide === 'number') return normaliseRotation(-fromSide);
  const tag = num(s.tags?.rotate);
  return tag === null ? 0 : normaliseRotation(tag);
}

const hasAlphaChannel = (pixFmt: string | undefined): boolean =>
  !!pixFmt && /^(rgba|bgra|argb|abgr|ya|yuva|gbrap|rgba64|bgra64)/.test(pixFmt);

function bitDepthOf(s: FfprobeStream): number | null {
  const raw = num(s.bits_per_raw_sample);
  if (raw) return raw;
  const m = s.pix_fmt?.match(/p(9|10|12|14|16)(le|be)?$/);
  if (m?.[1]) return Number(m[1]);
  return s.pix_fmt ? 8 : null;
}

function shortContainer(formatName: string, kind: MediaKind, codec: string | undefined): string {
  if (kind === 'image') return formatName.replace(/_pipe$/, '') === 'image2' ? (codec ?? 'image') : formatName.replace(/_pipe$/, '');
  if (formatName.startsWith('mov,mp4')) return 'mp4';
  if (formatName.startsWith('matroska,webm')) return 'mkv';
  return formatName.split(',')[0] ?? formatName;
}

/** Converts ffprobe's JSON into MediaInfo, or explains why the file is not usable media. */
export function interpretProbe(json: FfprobeOutput, displayName: string): MediaInfo {
  const streams = json.streams ?? [];
  const formatName = json.format?.format_name ?? 'unknown';
  const videoStream = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audioStream = streams.find((s) => s.codec_type === 'audio');
  if (!videoStream && !audioStream) {
    throw new StudioError(
      'unsupported_media',
      `${displayName} has no video or audio stream. Import an image, an audio file or a video.`,
    );
  }
  const isImage = !!videoStream && IMAGE_FORMATS.test(formatName);
  const kind: MediaKind = isImage ? 'image' : videoStream ? 'video' : 'audio';

  let video: VideoStreamInfo | null = null;
  if (videoStream) {
    const codedW = videoStream.width ?? 0;
    const codedH = videoStream.height ?? 0;
    if (codedW <= 0 || codedH <= 0) {
      throw new StudioError('unsupported_media', `${displayName} has a video stream without a picture size; the file may be damaged.`);
    }
    const rotation = rotationOf(videoStream);
    const swap = rotation === 90 || rotation === 270;
    const r = parseRate(videoStream.r_frame_rate);
    const avg = parseRate(videoStream.avg_frame_rate);
    video = {
      codec: videoStream.codec_name ?? 'unknown',
      width: swap ? codedH : codedW,
      height: swap ? codedW : codedH,
      codedWidth: codedW,
      codedHeight: codedH,
      rotation,
      rFrameRate: videoStream.r_frame_rate ?? '0/0',
      avgFrameRate: videoStream.avg_frame_rate ?? '0/0',
      fps: isImage ? null : (avg ?? r),
      isVfr: !isImage && r !== null && avg !== null && Math.abs(r - avg) / r > 0.01,
      pixFmt: videoStream.pix_fmt ?? null,
      bitDepth: bitDepthOf(videoStream),
      hasAlpha: hasAlphaChannel(videoStream.pix_fmt),
      frameCount: isImage ? 1 : num(videoStream.nb_frames),
    };
  }

  let audio: AudioStreamInfo | null = null;
  if (audioStream) {
    audio = {
      codec: audioStream.codec_name ?? 'unknown',
      sampleRate: num(audioStream.sample_rate) ?? 0,
      channels: audioStream.channels ?? 0,
      channelLayout: audioStream.channel_layout ?? null,
      durationSec: num(audioStream.duration),
    };
  }

  // Old ffprobe builds give no duration for some formats (GIF): fall back to frames / rate.
  const fromFrames = video?.frameCount && video.fps ? video.frameCount / video.fps : null;
  const durationSec = isImage ? null : (num(json.format?.duration) ?? num(videoStream?.duration) ?? audio?.durationSec ?? fromFrames);
  if (kind !== 'image' && (durationSec === null || durationSec <= 0)) {
    throw new StudioError(
      'unsupported_media',
      `${displayName} is empty: it has no ${kind === 'audio' ? 'audio samples' : 'frames'}. Export it again and re-import.`,
    );
  }
  return {
    kind,
    container: shortContainer(formatName, kind, videoStream?.codec_name),
    formatName,
    durationSec,
    sizeBytes: num(json.format?.size),
    bitRate: num(json.format?.bit_rate),
    video,
    audio,
  };
}

/** An MP4/MOV begins with an `ftyp` box; a renamed text file does not. */
async function startsWithFtyp(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(8);
      await fh.read(head, 0, 8, 0);
      return head.subarray(4, 8).toString('latin1') === 'ftyp';
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

export interface ProbeOptions {
  tools?: ToolPreferences;
  signal?: AbortSignal;
  /** The name to use in messages (the user's file name, not our temp name). */
  displayName?: string;
}

export async function probeMedia(path: string, options: ProbeOptions = {}): Promise<MediaInfo> {
  const displayName = options.displayName ?? basename(path);
  const ffprobe = resolveTool('ffprobe', options.tools);
  const result = await runProcess(
    ffprobe.path,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', fileUrl(path)],
    { signal: options.signal, timeoutMs: 60_000 },
  );
  if (result.aborted) throw new StudioError('cancelled', `Probing ${displayName} was cancelled.`);
  if (result.timedOut) {
    throw new StudioError('unsupported_media', `${displayName} could not be read within a minute; the file may be damaged or on a stalled drive.`);
  }
  let json: FfprobeOutput | null;
  try {
    json = JSON.parse(result.stdout.toString('utf8') || '{}') as FfprobeOutput;
  } catch {
    json = null;
  }
  if (result.code !== 0 || !json || !json.format) {
    // ffmpeg prefixes the reason with the input name; ours is a temp path the user never saw.
    const reason = lastErrorLine(result.stderrTail).split(fileUrl(path)).join('').replace(/^:\s*/, '');
    if (/moov atom not found/i.test(result.stderrTail) && (await startsWithFtyp(path))) {
      throw new StudioError(
        'unsupported_media',
        `${displayName} is incomplete: its index (the MP4 "moov atom") is missing, so it was probably cut off while being written or copied. Copy or export it again.`,
      );
    }
    throw new StudioError(
      'unsupported_media',
      `${displayName} is not a media file Wan Studio can read (${reason}). Import a PNG/JPEG/WebP image, a WAV/MP3/FLAC/AAC audio file, or an MP4/MOV/MKV/WebM video.`,
    );
  }
  // Old ffprobe builds report neither duration nor frame count for some formats (GIF); counting
  // packets is a demux-only pass, cheap next to decoding.
  const v = json.streams?.find((st) => st.codec_type === 'video');
  if (v && !json.format.duration && !v.duration && !v.nb_frames) {
    const counted = await runProcess(
      ffprobe.path,
      ['-v', 'error', '-count_packets', '-select_streams', String(v.index), '-show_entries', 'stream=nb_read_packets', '-print_format', 'json', fileUrl(path)],
      { signal: options.signal, timeoutMs: 60_000 },
    );
    try {
      const n = (JSON.parse(counted.stdout.toString('utf8')) as { streams?: Array<{ nb_read_packets?: string }> }).streams?.[0]?.nb_read_packets;
      if (n) v.nb_frames = n;
    } catch {
      // keep what we have; interpretProbe explains the missing duration
    }
  }
  return interpretProbe(json, displayName);
}
