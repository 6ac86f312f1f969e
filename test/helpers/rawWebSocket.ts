import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client written by hand over a TCP socket, so tests can send frames no library
 * would: wrong lengths, unmasked, reserved bits, unknown opcodes. Reads the server's frames back.
 */
export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

export interface FrameSpec {
  opcode?: number;
  payload?: Buffer | string;
  fin?: boolean;
  rsv1?: boolean;
  /** Reserved bits RSV1..RSV3 as a 3-bit number (4 = RSV1, 2 = RSV2, 1 = RSV3). */
  rsv?: number;
  /** Client frames must be masked; false sends one unmasked. */
  mask?: boolean;
  /** Length written in the header when it should lie about the payload. */
  declaredLength?: number;
}

export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const length = spec.declaredLength ?? payload.length;
  const masked = spec.mask ?? true;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | (((spec.rsv ?? 0) & 7) << 4) | ((spec.opcode ?? 1) & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** Parses the unmasked frames a server sends; returns the frames and the bytes left over. */
function decodeFrames(buf: Buffer): { frames: RawFrame[]; rest: Buffer } {
  const frames: RawFrame[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const b1 = buf[at + 1] ?? 0;
    let len = b1 & 0x7f;
    let off = at + 2;
    if (len === 126) {
      if (buf.length - off < 2) break;
      len = buf.readUInt16BE(off);
      off += 2;
    } else if (len === 127) {
      if (buf.length - off < 8) break;
      len = Number(buf.readBigUInt64BE(off));
      off += 8;
    }
    if (buf.length - off < len) break;
    frames.push({ opcode: (buf[at] ?? 0) & 0x0f, payload: buf.subarray(off, off + len) });
    at = off + len;
  }
  return { frames, rest: buf.subarray(at) };
}

export interface RawWebSocket {
  /** The status line of the handshake answer, e.g. "HTTP/1.1 101 Switching Protocols". */
  status: string;
  frames: RawFrame[];
  send(bytes: Buffer): void;
  /** Calls back for every frame that arrives from now on. */
  onFrame(listener: (frame: RawFrame) => void): void;
  /** Resolves with the close code the server sent, or null when the connection ended without a close frame. */
  closed: Promise<number | null>;
  destroy(): void;
}

export function openRawWebSocket(port: number, path: string, headers: Record<string, string>): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let handshake: Buffer = Buffer.alloc(0);
    let pending: Buffer = Buffer.alloc(0);
    let status: string | null = null;
    const frames: RawFrame[] = [];
    const listeners: Array<(frame: RawFrame) => void> = [];
    let closeCode: number | null = null;
    let settleClosed: (code: number | null) => void = () => undefined;
    const closed = new Promise<number | null>((r) => (settleClosed = r));
    socket.once('close', () => settleClosed(closeCode));
    const api = (): RawWebSocket => ({
      status: status ?? '',
      frames,
      send: (bytes) => socket.write(bytes),
      onFrame: (listener) => listeners.push(listener),
      closed,
      destroy: () => socket.destroy(),
    });
    const takeFrames = (chunk: Buffer) => {
      const { frames: got, rest } = decodeFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of got) {
        frames.push(f);
        for (const l of listeners) l(f);
        if (f.opcode === 8) {
          closeCode = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
          settleClosed(closeCode);
        }
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (status !== null) return takeFrames(chunk);
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = handshake.subarray(0, end).toString('latin1');
      status = text.split('\r\n')[0] ?? '';
      resolve(api());
      takeFrames(handshake.subarray(end + 4));
    });
    socket.on('error', (e) => (status === null ? reject(e) : undefined));
    socket.once('close', () => {
      if (status === null) {
        status = '';
        resolve(api());
      }
    });
    const lines = [
      `GET ${path} HTTP/1.1`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
