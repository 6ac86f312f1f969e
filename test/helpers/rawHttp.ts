import { connect } from 'node:net';

export interface RawHttpAnswer {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  head: string;
  body: Buffer;
}

/**
 * Sends bytes exactly as given (no client library to fix up a hostile path or header) and reads
 * the answer until the server closes the connection. Send `Connection: close`.
 */
export function rawHttp(port: number, request: string | Buffer): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = (end < 0 ? all : all.subarray(0, end)).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : 0, head, body: end < 0 ? Buffer.alloc(0) : all.subarray(end + 4) });
    });
    socket.write(request);
  });
}

/** A request with the given target and headers; `Connection: close` unless the headers say otherwise (an upgrade). */
export const rawGet = (port: number, target: string, headers: Record<string, string>, method = 'GET'): Promise<RawHttpAnswer> =>
  rawHttp(port, `${method} ${target} HTTP/1.1\r\n${Object.entries({ Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
