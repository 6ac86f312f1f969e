import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportFormats, postProcessSpecSchema } from '../contract/postProcess';
import { describeIssues } from '../contract/validation';
import { resolveTool, type ToolPreferences } from '../media/ffmpegBinaries';
import { computePeaks, peaksWindow } from '../media/peaks';
import { runPostProcess } from '../media/postProcess';
import { probeMedia } from '../media/probe';
import type { FfmpegProgress } from '../media/progress';
import { materializeAudio, materializeVideo, type FitMode } from '../media/trim';
import { UsageError, type CliIo } from './io';

export const mediaHelp = `Usage:
  wan-studio media probe <file> [--json]
  wan-studio media peaks <file> [--peaks N] [--json]
  wan-studio media trim <file> [--in SEC] [--out SEC] --audio-out MODEL.wav MUX.wav
  wan-studio media trim <file> [--in SEC] [--out SEC] --video-out OUT.mp4 --size WxH [--fps N|-1] [--mode fit|fill|letterbox]
  wan-studio media export <video> -o OUT --format ${exportFormats.join('|')} [--audio FILE] [--fps 24|25|30|60] [--fps-method interpolate|repeat] [--height 480|720|1080|1440|2160] [--loudnorm] [--crf N] [--target-size MB]

Works on files anywhere on disk (no library needed); the same code the studio runs.
Progress goes to stderr, results to stdout.`;

const number = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, not "${v}".`);
  return n;
};

/** A one-line progress meter on stderr, rewritten in place when stderr is a terminal. */
function progressPrinter(io: CliIo, label: string): (p: FfmpegProgress) => void {
  let last = -1;
  return (p) => {
    const pct = Math.floor(p.percent ?? 0);
    if (pct === last && !p.done) return;
    last = pct;
    io.err(`${label}: ${p.percent === null ? `${p.outTimeSec.toFixed(1)} s` : `${pct}%`}${p.speed ? ` (${p.speed}x)` : ''}`);
  };
}

export async function mediaCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      peaks: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      'audio-out': { type: 'boolean', default: false },
      'video-out': { type: 'string' },
      size: { type: 'string' },
      fps: { type: 'string' },
      mode: { type: 'string' },
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      audio: { type: 'string' },
      'fps-method': { type: 'string' },
      height: { type: 'string' },
      loudnorm: { type: 'boolean', default: false },
      crf: { type: 'string' },
      'target-size': { type: 'string' },
      ffmpeg: { type: 'string' },
      ffprobe: { type: 'string' },
    },
  });
  const [sub, file, ...rest] = positionals;
  if (!sub) throw new UsageError('Say probe, peaks, trim or export.');
  if (!file) throw new UsageError(`media ${sub} needs a file.`);
  const tools: ToolPreferences = { ffmpegPath: values.ffmpeg ?? null, ffprobePath: values.ffprobe ?? null };
  const source = resolve(file);
  const info = await probeMedia(source, { tools });

  switch (sub) {
    case 'probe': {
      if (values.json) io.out(JSON.stringify(info, null, 2));
      else {
        io.out(`${file}: ${info.kind}, ${info.container}${info.durationSec !== null ? `, ${info.durationSec.toFixed(3)} s` : ''}`);
        const v = info.video;
        if (v) io.out(`  video: ${v.codec} ${v.width}x${v.height}${v.rotation ? ` (rotated ${v.rotation}°)` : ''}${v.fps ? ` ${Number(v.fps.toFixed(3))} fps${v.isVfr ? ' VFR' : ''}` : ''} ${v.pixFmt ?? ''}${v.bitDepth ? ` ${v.bitDepth}-bit` : ''}${v.hasAlpha ? ' alpha' : ''}`);
        const a = info.audio;
        if (a) io.out(`  audio: ${a.codec} ${a.sampleRate} Hz ${a.channels} ch${a.channelLayout ? ` (${a.channelLayout})` : ''}`);
      }
      return 0;
    }
    case 'peaks': {
      const peaks = await computePeaks(source, info, { tools, onProgress: progressPrinter(io, 'peaks') });
      const win = peaksWindow(peaks, number('--peaks', values.peaks) ?? 200);
      if (values.json) io.out(JSON.stringify({ ...win, durationSec: peaks.durationSec, levels: peaks.levels.map((l) => ({ samplesPerPeak: l.samplesPerPeak, count: l.min.length })) }));
      else {
        const rows = ' ▁▂▃▄▅▆▇█';
        io.out(win.max.map((m, i) => rows[Math.min(8, Math.round(Math.max(Math.abs(m), Math.abs(win.min[i] ?? 0)) * 8))]).join(''));
        io.out(`${peaks.durationSec.toFixed(2)} s, ${peaks.levels.length} zoom levels, ${win.peaksPerSecond} peaks/s shown`);
      }
      return 0;
    }
    case 'trim': {
      const trim = { inSec: number('--in', values.in) ?? 0, outSec: number('--out', values.out) ?? null };
      if (values['audio-out']) {
        const [model, mux] = rest;
        if (!model || !mux) throw new UsageError('--audio-out takes two files: the 16 kHz model WAV and the mux WAV.');
        const r = await materializeAudio(source, info, trim, { modelWav: resolve(model), muxWav: resolve(mux) }, { tools, displayName: file, onProgress: progressPrinter(io, 'trim') });
        io.out(`${r.modelWav} (16 kHz mono) and ${r.muxWav}: ${r.durationSec.toFixed(3)} s`);
        return 0;
      }
      const out = values['video-out'];
      if (!out) throw new UsageError('Give --audio-out MODEL.wav MUX.wav or --video-out OUT.mp4.');
      const size = /^(\d+)x(\d+)$/.exec(values.size ?? '');
      if (!size) throw new UsageError(`--size must look like 832x480, not "${values.size ?? ''}".`);
      const mode = (values.mode ?? 'fill') as FitMode;
      if (!['fit', 'fill', 'letterbox'].includes(mode)) throw new UsageError(`--mode must be fit, fill or letterbox, not "${mode}".`);
      const r = await materializeVideo(
        source,
        info,
        trim,
        { fps: number('--fps', values.fps) ?? -1, width: Number(size[1]), height: Number(size[2]), mode },
        resolve(out),
        { tools, displayName: file, onProgress: progressPrinter(io, 'trim') },
      );
      io.out(`${r.path}: ${r.frames} frames at ${r.fps} fps, ${r.width}x${r.height}, ${r.durationSec.toFixed(3)} s`);
      return 0;
    }
    case 'export': {
      if (!values.output) throw new UsageError('Say where to write the result with -o OUT.');
      const parsed = postProcessSpecSchema.safeParse({
        format: values.format,
        fps: values.fps ? { target: number('--fps', values.fps), method: values['fps-method'] ?? 'repeat' } : null,
        height: values.height ? number('--height', values.height) : null,
        loudnorm: values.loudnorm,
        crf: values.crf ? number('--crf', values.crf) : null,
        targetSizeMB: values['target-size'] ? number('--target-size', values['target-size']) : null,
      });
      if (!parsed.success) throw new UsageError(describeIssues(parsed.error.issues));
      const audio = values.audio ? { path: resolve(values.audio), info: await probeMedia(resolve(values.audio), { tools }) } : null;
      resolveTool('ffmpeg', tools);
      await runPostProcess({ video: source, info, audio }, parsed.data, resolve(values.output), { tools, displayName: file, onProgress: progressPrinter(io, 'export') });
      io.out(resolve(values.output));
      return 0;
    }
    default:
      throw new UsageError(`Unknown media command "${sub}".`);
  }
}
