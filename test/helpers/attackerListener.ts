import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AttackerListener {
  /** http://127.0.0.1:<port>: an address a page might try to send the key to. */
  url: string;
  /** Every request it received, with its headers. */
  seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  /** Requests that carried an Authorization header (the key, if it ever leaked). */
  authorized(): number;
  stop(): Promise<void>;
}

/** A plain HTTP listener that answers 200 {} to anything and remembers what it was sent. */
export async function startAttackerListener(): Promise<AttackerListener> {
  const seen: AttackerListener['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers } });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    authorized: () => seen.filter((r) => r.headers.authorization !== undefined).length,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
