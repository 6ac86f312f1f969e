import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StudioError } from '../contract/errors';
import type { ToolPreferences } from './ffmpegBinaries';
import { startFfmpeg } from './ffmpegCommand';
import { fileUrl } from './fileUrl';
import type { MediaInfo } from './mediaInfo';
import type { FfmpegProgress } from './progress';
import { tempSibling } from './tempOutput';

/**
 * Peaks are taken at the source's own sample rate: resampling first would cost more than the
 * decode (and its low-pass would shave real peaks). Only very high rates are brought down to this.
 */
export const MAX_ANALYSIS_RATE = 48_000;
/** The finest level has about this many peaks per second; each further level halves it. */
export const BASE_PEAKS_PER_SECOND = 125;
const COARSEST_PEAKS = 512;

export const analysisRate = (sourceRate: number): number => (sourceRate > 0 ? Math.min(sourceRate, MAX_ANALYSIS_RATE) : MAX_ANALYSIS_RATE);
export const baseSamplesPerPeak = (rate: number): number => Math.max(1, Math.round(rate / BASE_PEAKS_PER_SECOND));

export interface PeaksLevel {
  samplesPerPeak: number;
  /** Per peak: the lowest and highest sample, as signed 16-bit values. */
  min: Int16Array;
  max: Int16Array;
}

export interface Peaks {
  sampleRate: number;
  durationSec: number;
  /** Finest first. */
  levels: PeaksLevel[];
}

/** Halves a level: each new peak covers two old ones. */
function coarsen(level: PeaksLevel): PeaksLevel {
  const n = Math.ceil(level.min.length / 2);
  const min = new Int16Array(n);
  const max = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * i;
    const b = Math.min(a + 1, level.min.length - 1);
    min[i] = Math.min(level.min[a] ?? 0, level.min[b] ?? 0);
    max[i] = Math.max(level.max[a] ?? 0, level.max[b] ?? 0);
  }
  return { samplesPerPeak: level.samplesPerPeak * 2, min, max };
}

/** Growable pair of Int16 arrays: the only thing that grows with length, 500 bytes per second. */
class PeakAccumulator {
  constructor(private readonly samplesPerPeak: number) {}
  private min = new Int16Array(4096);
  private max = new Int16Array(4096);
  count = 0;
  private curMin = 32767;
  private curMax = -32768;
  private inPeak = 0;

  add(samples: Int16Array): void {
    // The hot loop of the whole waveform: locals instead of fields, one bounds check per sample.
    let lo = this.curMin;
    let hi = this.curMax;
    let n = this.inPeak;
    const spp = this.samplesPerPeak;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as number;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      if (++n === spp) {
        this.curMin = lo;
        this.curMax = hi;
        this.inPeak = n;
        this.flush();
        lo = 32767;
        hi = -32768;
        n = 0;
      }
    }
    this.curMin = lo;
    this.curMax = hi;
    this.inPeak = n;
  }

  flush(): void {
    if (this.inPeak === 0) return;
    if (this.count === this.min.length) {
      const grow = (a: Int16Array) => {
        const b = new Int16Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.min = grow(this.min);
      this.max = grow(this.max);
    }
    this.min[this.count] = this.curMin;
    this.max[this.count] = this.curMax;
    this.count++;
    this.curMin = 32767;
    this.curMax = -32768;
    this.inPeak = 0;
  }

  level(): PeaksLevel {
    return { samplesPerPeak: this.samplesPerPeak, min: this.min.slice(0, this.count), max: this.max.slice(0, this.count) };
  }
}

export interface PeaksOptions {
  tools?: ToolPreferences;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  displayName?: string;
}

/**
 * Min/max peaks at several zoom levels from one streamed decode to mono 16-bit. The decoded
 * audio is never held: each chunk is folded into peaks as it arrives.
 */
export async function computePeaks(source: string, info: MediaInfo, options: PeaksOptions = {}): Promise<Peaks> {
  const name = options.displayName ?? source;
  if (!info.audio) throw new StudioError('unsupported_media', `${name} has no audio track, so it has no waveform.`);
  const rate = analysisRate(info.audio.sampleRate);
  const acc = new PeakAccumulator(baseSamplesPerPeak(rate));
  const resample = rate !== info.audio.sampleRate ? ['-af', `aresample=${rate}:filter_size=1`] : [];
  const run = startFfmpeg({
    label: `Reading the waveform of ${name}`,
    outputs: [],
    // -flush_packets 0: write the pipe in large blocks, not one small write per audio frame
    // (an hour of audio is otherwise ~150k wake-ups on our side).
    args: () => ['-i', fileUrl(source), '-map', '0:a:0', '-vn', '-ac', '1', ...resample, '-ar', String(rate), '-flush_packets', '0', '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
    durationSec: info.durationSec,
    signal: options.signal,
    onProgress: options.onProgress,
    tools: options.tools,
    stdoutData: true,
    hidePaths: [source],
  });
  // Pipe reads can split a sample: the odd byte is carried into the next read through one reused,
  // aligned scratch buffer (no per-chunk allocation, so no garbage for an hour of audio).
  let scratch = Buffer.allocUnsafe(1 << 17);
  let carry = -1;
  for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
    let src = chunk;
    if (carry >= 0 || chunk.byteOffset % 2 !== 0) {
      const start = carry >= 0 ? 1 : 0;
      if (scratch.length < chunk.length + 1) scratch = Buffer.allocUnsafe(2 * (chunk.length + 1));
      if (carry >= 0) scratch[0] = carry;
      chunk.copy(scratch, start);
      src = scratch.subarray(0, start + chunk.length);
    }
    const usable = src.length - (src.length % 2);
    carry = usable < src.length ? (src[usable] as number) : -1;
    acc.add(new Int16Array(src.buffer, src.byteOffset, usable / 2));
  }
  await run.done;
  acc.flush();
  const levels = [acc.level()];
  while ((levels.at(-1)?.min.length ?? 0) > COARSEST_PEAKS) levels.push(coarsen(levels.at(-1) as PeaksLevel));
  return { sampleRate: rate, durationSec: info.durationSec ?? (acc.count * baseSamplesPerPeak(rate)) / rate, levels };
}

const MAGIC = 'WSPK1';

/** Binary cache file: magic, header length, JSON header, then each level's min and max arrays. */
export async function writePeaksFile(path: string, peaks: Peaks): Promise<void> {
  const header = Buffer.from(
    JSON.stringify({ sampleRate: peaks.sampleRate, durationSec: peaks.durationSec, levels: peaks.levels.map((l) => ({ samplesPerPeak: l.samplesPerPeak, count: l.min.length })) }),
  );
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const parts: Buffer[] = [Buffer.from(MAGIC), len, header];
  for (const l of peaks.levels) parts.push(Buffer.from(l.min.buffer, l.min.byteOffset, l.min.byteLength), Buffer.from(l.max.buffer, l.max.byteOffset, l.max.byteLength));
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempSibling(path);
  await writeFile(tmp, Buffer.concat(parts));
  await rename(tmp, path);
}

export async function readPeaksFile(path: string): Promise<Peaks | null> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    return null;
  }
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) return null;
  const headerLen = buf.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4;
  const header = JSON.parse(buf.subarray(offset, offset + headerLen).toString()) as {
    sampleRate: number;
    durationSec: number;
    levels: Array<{ samplesPerPeak: number; count: number }>;
  };
  offset += headerLen;
  const levels: PeaksLevel[] = [];
  for (const l of header.levels) {
    const bytes = l.count * 2;
    const min = new Int16Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + bytes));
    offset += bytes;
    const max = new Int16Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + bytes));
    offset += bytes;
    levels.push({ samplesPerPeak: l.samplesPerPeak, min, max });
  }
  return { sampleRate: header.sampleRate, durationSec: header.durationSec, levels };
}

export interface PeaksWindow {
  peaksPerSecond: number;
  startSec: number;
  /** Normalised to -1..1. */
  min: number[];
  max: number[];
}

/**
 * Peaks for the window [startSec, endSec) at no more than `maxPeaks` points: the coarsest level
 * that still has enough detail, merged further (min of mins, max of maxes) down to the budget.
 * What a waveform view of a given width and zoom needs, and no more.
 */
export function peaksWindow(peaks: Peaks, maxPeaks: number, startSec = 0, endSec = peaks.durationSec): PeaksWindow {
  const span = Math.max(0, endSec - startSec);
  let level = peaks.levels[0] as PeaksLevel;
  for (const l of peaks.levels) {
    if (span * (peaks.sampleRate / l.samplesPerPeak) >= maxPeaks) level = l;
  }
  const pps = peaks.sampleRate / level.samplesPerPeak;
  const from = Math.max(0, Math.floor(startSec * pps));
  const to = Math.min(level.min.length, Math.ceil(endSec * pps));
  const factor = Math.max(1, Math.ceil((to - from) / maxPeaks));
  const min: number[] = [];
  const max: number[] = [];
  for (let i = from; i < to; i += factor) {
    let lo = 32767;
    let hi = -32768;
    for (let j = i; j < Math.min(i + factor, to); j++) {
      lo = Math.min(lo, level.min[j] as number);
      hi = Math.max(hi, level.max[j] as number);
    }
    min.push(Math.round((lo / 32768) * 1000) / 1000);
    max.push(Math.round((hi / 32768) * 1000) / 1000);
  }
  return { peaksPerSecond: pps / factor, startSec: from / pps, min, max };
}
