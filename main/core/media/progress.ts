/** Typed progress from ffmpeg's `-progress pipe:1` key=value blocks (one block per update). */
export interface FfmpegProgress {
  /** Media time written so far, in seconds. */
  outTimeSec: number;
  frame: number | null;
  fps: number | null;
  /** Encoding speed as a multiple of real time. */
  speed: number | null;
  /** 0..100 when the expected output duration is known, else null. */
  percent: number | null;
  done: boolean;
}

const num = (v: string | undefined): number | null => {
  if (v === undefined || v === 'N/A') return null;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * Splits a byte stream of `key=value` lines into blocks ending with `progress=continue|end` and
 * turns each block into one FfmpegProgress. Percent never goes backwards and ends at 100.
 */
export class ProgressParser {
  private pending = '';
  private block = new Map<string, string>();
  private lastPercent = 0;

  constructor(private readonly expectedDurationSec: number | null) {}

  push(chunk: string): FfmpegProgress[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    const out: FfmpegProgress[] = [];
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (key !== 'progress') {
        this.block.set(key, value);
        continue;
      }
      out.push(this.finish(value === 'end'));
    }
    return out;
  }

  private finish(done: boolean): FfmpegProgress {
    const b = this.block;
    this.block = new Map();
    // out_time_us is microseconds (out_time_ms is, despite its name, also microseconds).
    const us = num(b.get('out_time_us')) ?? num(b.get('out_time_ms'));
    const outTimeSec = us !== null && us > 0 ? us / 1_000_000 : 0;
    let percent: number | null = null;
    if (this.expectedDurationSec && this.expectedDurationSec > 0) {
      percent = done ? 100 : Math.min(99.9, Math.max(this.lastPercent, (outTimeSec / this.expectedDurationSec) * 100));
      this.lastPercent = percent;
    } else if (done) {
      percent = 100;
    }
    const speed = b.get('speed');
    return {
      outTimeSec,
      frame: num(b.get('frame')),
      fps: num(b.get('fps')),
      speed: speed ? num(speed.replace(/x$/, '')) : null,
      percent,
      done,
    };
  }
}
