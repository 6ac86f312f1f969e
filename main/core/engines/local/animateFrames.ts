import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/**
 * Pixel helpers for the Animate preparation: the official padding_resize (aspect kept, black bars,
 * centred) for pictures drawn at the source size, and raw frame files written a frame at a time.
 */

/** Where a w x h picture lands when letterboxed into dw x dh (padding_resize). */
export function letterboxRect(w: number, h: number, dw: number, dh: number): { x: number; y: number; width: number; height: number } {
  const scale = Math.min(dw / w, dh / h);
  const width = Math.max(1, Math.min(dw, Math.round(w * scale)));
  const height = Math.max(1, Math.min(dh, Math.round(h * scale)));
  return { x: Math.floor((dw - width) / 2), y: Math.floor((dh - height) / 2), width, height };
}

/**
 * Letterboxes an RGB24 picture into dw x dh. Shrinking averages every source pixel under the
 * destination pixel (cv2 INTER_AREA, as the official code uses when shrinking); enlarging is bilinear.
 */
export function letterboxRgb(src: Uint8Array, w: number, h: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh * 3);
  const r = letterboxRect(w, h, dw, dh);
  const sx = w / r.width;
  const sy = h / r.height;
  const shrink = sx > 1 || sy > 1;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const o = ((r.y + y) * dw + r.x + x) * 3;
      if (shrink) areaPixel(src, w, h, x * sx, y * sy, sx, sy, out, o);
      else bilinearPixel(src, w, h, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5, out, o);
    }
  }
  return out;
}

function areaPixel(src: Uint8Array, w: number, h: number, x0: number, y0: number, sx: number, sy: number, out: Uint8Array, o: number): void {
  const acc = [0, 0, 0];
  let total = 0;
  const xEnd = Math.min(w, x0 + sx);
  const yEnd = Math.min(h, y0 + sy);
  for (let y = Math.floor(y0); y < yEnd; y++) {
    const wy = Math.min(y + 1, yEnd) - Math.max(y, y0);
    for (let x = Math.floor(x0); x < xEnd; x++) {
      const wgt = wy * (Math.min(x + 1, xEnd) - Math.max(x, x0));
      if (wgt <= 0) continue;
      const i = (y * w + x) * 3;
      acc[0]! += src[i]! * wgt;
      acc[1]! += src[i + 1]! * wgt;
      acc[2]! += src[i + 2]! * wgt;
      total += wgt;
    }
  }
  for (let c = 0; c < 3; c++) out[o + c] = total > 0 ? Math.round(acc[c]! / total) : 0;
}

function bilinearPixel(src: Uint8Array, w: number, h: number, fx: number, fy: number, out: Uint8Array, o: number): void {
  const cx = Math.min(Math.max(fx, 0), w - 1);
  const cy = Math.min(Math.max(fy, 0), h - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, w - 1);
  const y1 = Math.min(y0 + 1, h - 1);
  const wx = cx - x0;
  const wy = cy - y0;
  for (let c = 0; c < 3; c++) {
    const top = src[(y0 * w + x0) * 3 + c]! * (1 - wx) + src[(y0 * w + x1) * 3 + c]! * wx;
    const bottom = src[(y1 * w + x0) * 3 + c]! * (1 - wx) + src[(y1 * w + x1) * 3 + c]! * wx;
    out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
  }
}

/**
 * One raw frame sequence written as it is made: frames go to a temp file (waiting whenever the disk
 * is slower, so memory holds one frame), which is renamed to its name only when complete.
 */
export class RawSequenceWriter {
  private readonly stream: WriteStream;
  private readonly tmp: string;
  frames = 0;

  constructor(
    readonly path: string,
    private readonly frameBytes: number,
  ) {
    this.tmp = `${path}.partial`;
    this.stream = createWriteStream(this.tmp);
  }

  async write(frame: Uint8Array): Promise<void> {
    if (frame.byteLength !== this.frameBytes) throw new RangeError(`${this.path}: a frame of ${frame.byteLength} bytes, expected ${this.frameBytes}`);
    this.frames++;
    if (!this.stream.write(frame)) await once(this.stream, 'drain');
  }

  async finish(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tmp, { force: true });
  }
}
