import { open, type FileHandle } from 'node:fs/promises';

/**
 * Reads windows of a 16-bit PCM mono WAV (the canonical one the media engine writes for the
 * model) without loading the file: each clip reads only its own span, so memory does not grow
 * with the length of the audio.
 */
export class WavReader {
  private constructor(
    private readonly fh: FileHandle,
    private readonly dataOffset: number,
    readonly samples: number,
    readonly sampleRate: number,
  ) {}

  static async open(path: string): Promise<WavReader> {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV file`);
      let off = 12;
      let rate = 0;
      let channels = 0;
      let bits = 0;
      while (off + 8 <= bytesRead) {
        const id = head.toString('latin1', off, off + 4);
        const size = head.readUInt32LE(off + 4);
        if (id === 'fmt ') {
          channels = head.readUInt16LE(off + 10);
          rate = head.readUInt32LE(off + 12);
          bits = head.readUInt16LE(off + 22);
        } else if (id === 'data') {
          if (channels !== 1 || bits !== 16) throw new Error(`${path}: the model audio must be 16-bit mono (got ${channels} channels, ${bits} bits)`);
          const st = await fh.stat();
          const bytes = Math.min(size, st.size - (off + 8));
          return new WavReader(fh, off + 8, Math.floor(bytes / 2), rate);
        }
        off += 8 + size + (size % 2);
      }
      throw new Error(`${path}: no data chunk in the first 4 KB`);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  get durationSec(): number {
    return this.samples / this.sampleRate;
  }

  /** Samples [start, start + count) as floats in [-1, 1]; past the end reads as silence. */
  async read(start: number, count: number): Promise<Float32Array> {
    const out = new Float32Array(count);
    const from = Math.max(0, start);
    const to = Math.min(this.samples, start + count);
    if (to <= from) return out;
    const buf = Buffer.alloc((to - from) * 2);
    await this.fh.read(buf, 0, buf.length, this.dataOffset + from * 2);
    for (let i = 0; i < to - from; i++) out[from - start + i] = buf.readInt16LE(i * 2) / 32768;
    return out;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
