import type { FileHandle } from 'node:fs/promises';

/**
 * Walks protobuf fields in a file without reading what it skips: a length-delimited field is
 * visited as a (start, end) range, so a caller can descend into small messages and jump over
 * large ones (tensor bytes, node lists). Reads go through one small window that slides forward.
 */
export type ProtoField = { field: number; wire: number; start: number; end: number; value: number };

const WINDOW = 64 * 1024;

export class ProtoScanner {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  /** The bytes [start, end), read in one piece (for small messages only). */
  async bytes(start: number, end: number): Promise<Uint8Array> {
    const out = Buffer.alloc(end - start);
    const { bytesRead } = await this.fh.read(out, 0, out.length, start);
    if (bytesRead !== out.length) throw new ProtoError(`the file ends inside a message at byte ${start + bytesRead}`);
    return out;
  }

  /** Calls visit for each field of the message spanning [start, end). */
  async scan(start: number, end: number, visit: (f: ProtoField) => Promise<void> | void): Promise<void> {
    let pos = start;
    while (pos < end) {
      const tag = await this.varint(pos);
      pos = tag.next;
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (field === 0) throw new ProtoError(`field number 0 at byte ${pos}`);
      let f: ProtoField;
      if (wire === 0) {
        const v = await this.varint(pos);
        f = { field, wire, start: pos, end: v.next, value: v.value };
      } else if (wire === 1) f = { field, wire, start: pos, end: pos + 8, value: 0 };
      else if (wire === 5) f = { field, wire, start: pos, end: pos + 4, value: 0 };
      else if (wire === 2) {
        const len = await this.varint(pos);
        f = { field, wire, start: len.next, end: len.next + len.value, value: len.value };
      } else throw new ProtoError(`unsupported wire type ${wire} at byte ${pos}`);
      if (f.end > end) throw new ProtoError(`a field runs past its message at byte ${pos}`);
      await visit(f);
      pos = f.end;
    }
  }

  private async byteAt(pos: number): Promise<number> {
    if (pos < this.windowStart || pos >= this.windowStart + this.window.length) {
      if (pos >= this.size) throw new ProtoError(`the file ends at byte ${this.size} inside a field`);
      const buf = Buffer.alloc(Math.min(WINDOW, this.size - pos));
      const { bytesRead } = await this.fh.read(buf, 0, buf.length, pos);
      this.window = buf.subarray(0, bytesRead);
      this.windowStart = pos;
      if (bytesRead === 0) throw new ProtoError(`could not read byte ${pos}`);
    }
    return this.window[pos - this.windowStart]!;
  }

  /** A varint as a JS number (exact up to 2^53, enough for any offset or length). */
  private async varint(pos: number): Promise<{ value: number; next: number }> {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = await this.byteAt(pos + i);
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return { value, next: pos + i + 1 };
    }
    throw new ProtoError(`a varint longer than 10 bytes at byte ${pos}`);
  }
}

export class ProtoError extends Error {}
