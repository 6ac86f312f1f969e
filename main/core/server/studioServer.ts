import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { StudioError } from '../contract/errors';
import { MEDIA_PATH, UPLOAD_PATH, WS_PATH } from '../contract/wire';
import { resolveServableRealFile } from '../library/servableFile';
import type { StudioCore } from '../studioCore';
import { bearerToken, cookieName, hostAllowed, newToken, readCookie, requestUrl, tokensEqual, type OriginPolicy } from './auth';
import { securityHeaders, studioCsp } from './csp';
import { fileResponse } from './fileResponse';
import { resolveStaticFile } from './staticFiles';
import { receiveUpload } from './uploadRoute';
import { WsTransport } from './wsTransport';

export interface StudioServerOptions {
  core: StudioCore;
  rendererDir: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** Set only when the user passed --host: a non-loopback bind exposes the studio to the network. */
  allowNonLoopback?: boolean;
}

export interface RunningStudioServer {
  /** The URL to open, with the token; the page trades it for a cookie on first load. */
  url: string;
  origin: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>Wan Studio: link needed</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>This Wan Studio server needs its link</h1>
<p>Open the full URL that <code>wan-studio serve</code> printed (it ends with <code>?token=…</code>).
The token keeps other programs and web pages on this computer out of your library.</p></body>`;

/** Library files are the user's media, never pages or scripts: the browser must not guess otherwise. */
const MEDIA_HEADERS = { 'X-Content-Type-Options': 'nosniff' };

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

/**
 * The headless studio: serves the built renderer on loopback, carries the contract over
 * WebSocket, and hands library media to the page. Every route except the token exchange needs
 * the token (as a cookie set by that exchange, or a Bearer header for non-browser clients), and
 * browser requests must come from our own origin.
 */
export async function startStudioServer(options: StudioServerOptions): Promise<RunningStudioServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowNonLoopback) {
    throw new StudioError(
      'forbidden',
      `Refusing to listen on ${host}: the studio would be reachable from other machines. Pass --host ${host} explicitly if that is what you want.`,
    );
  }
  const { core } = options;
  const token = options.token ?? newToken();
  const ws = new WsTransport(core.dispatch, core.events, core.log);
  let port = 0;
  let policy: OriginPolicy = { allowedOrigins: new Set(), allowedHosts: new Set() };
  const csp = () => studioCsp();

  const authenticated = (req: IncomingMessage): boolean =>
    tokensEqual(readCookie(req, cookieName(port)), token) || tokensEqual(bearerToken(req), token);

  // Same-origin only: a page from any other site gets nothing, even with the cookie attached.
  const sameOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return origin === `http://${req.headers.host ?? ''}` && (policy.allowedHosts.size === 0 || hostAllowed(req, policy));
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      core.log.error('server: request crashed', { url: req.url?.split('?')[0], message: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) send(res, 500, 'Internal error; see the studio log.');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) return send(res, 400, 'Bad request path.');
    if (policy.allowedHosts.size > 0 && !hostAllowed(req, policy)) return send(res, 421, 'Unknown host.');
    if (!sameOrigin(req)) return send(res, 403, 'Cross-origin requests are not allowed.');

    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && req.method === 'GET' && url.pathname === '/') {
      if (!tokensEqual(queryToken, token)) return send(res, 401, UNAUTHORIZED_PAGE, 'text/html; charset=utf-8', securityHeaders(csp()));
      // Trade the URL token for an HttpOnly cookie so it leaves the address bar and history.
      res.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${cookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (!authenticated(req)) {
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      return wantsHtml
        ? send(res, 401, UNAUTHORIZED_PAGE, 'text/html; charset=utf-8', securityHeaders(csp()))
        : send(res, 401, 'Missing or wrong token.');
    }

    if (url.pathname === UPLOAD_PATH) {
      if (req.method !== 'POST') return send(res, 405, 'Use POST to upload.', undefined, { Allow: 'POST' });
      try {
        const result = await receiveUpload(req, core.library.layout.uploads, core.library.home);
        return send(res, 200, JSON.stringify(result), 'application/json');
      } catch (e) {
        const err = e instanceof StudioError ? e : new StudioError('io_error', String(e));
        // A refused upload may still be sending: answer, then close instead of reading the rest.
        const full = err.code === 'disk_full';
        (full ? core.log.warn : core.log.error)('server: upload failed', { code: err.code, message: err.message });
        return send(res, full ? 507 : 500, JSON.stringify({ error: err.toPayload() }), 'application/json', full ? { Connection: 'close' } : {});
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.', undefined, { Allow: 'GET, HEAD' });

    if (url.pathname.startsWith(MEDIA_PATH)) {
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.slice(MEDIA_PATH.length));
      } catch {
        return send(res, 400, 'Bad media path.');
      }
      const found = await resolveServableRealFile(core.library.home, rel);
      if (found.kind === 'refused') return send(res, 403, 'Only files inside the library can be served.');
      if (found.kind === 'missing') return send(res, 404, 'Not found.');
      return pipeFile(res, await fileResponse(found.path, req.headers.range, req.method), MEDIA_HEADERS);
    }

    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) return send(res, 404, 'Not found.');
    const isHtml = file.endsWith('.html');
    const r = await fileResponse(file, undefined, req.method);
    if (r.status === 404 && !url.pathname.startsWith('/assets/')) {
      // Client-side routes fall back to the app shell.
      const index = resolveStaticFile(options.rendererDir, '/');
      if (index) return pipeFile(res, await fileResponse(index, undefined, req.method), { ...securityHeaders(csp()), 'Cache-Control': 'no-store' });
    }
    return pipeFile(res, r, isHtml ? { ...securityHeaders(csp()), 'Cache-Control': 'no-store' } : { 'X-Content-Type-Options': 'nosniff' });
  }

  server.on('upgrade', (req, socket, head) => {
    // A client that resets mid-handshake must not take the process down with an unhandled 'error'.
    socket.on('error', (e) => core.log.warn('server: upgrade socket error', { message: e.message }));
    const refuse = (status: number, text: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    try {
      upgrade(req, socket, head, refuse);
    } catch (e) {
      core.log.error('server: upgrade crashed', { message: e instanceof Error ? e.message : String(e) });
      refuse(500, 'Internal Server Error');
    }
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, refuse: (status: number, text: string) => void): void {
    const url = requestUrl(req);
    if (!url) return refuse(400, 'Bad Request');
    if (url.pathname !== WS_PATH) return refuse(404, 'Not Found');
    if (policy.allowedHosts.size > 0 && !hostAllowed(req, policy)) return refuse(421, 'Misdirected Request');
    if (!sameOrigin(req)) return refuse(403, 'Forbidden');
    if (!authenticated(req)) return refuse(401, 'Unauthorized');
    ws.handleUpgrade(req, socket, head);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new StudioError('conflict', `Port ${options.port} on ${host} is already in use. Pick another with --port, or leave it out to get a free one.`)
          : e,
      ),
    );
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  if (isLoopbackHost(host)) {
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${urlHost}:${port}`];
    policy = { allowedHosts: new Set(hosts), allowedOrigins: new Set(hosts.map((h) => `http://${h}`)) };
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : urlHost;
  const origin = `http://${shownHost}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    close: async () => {
      ws.dispose();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function pipeFile(res: ServerResponse, r: Awaited<ReturnType<typeof fileResponse>>, extra: Record<string, string>): void {
  if (r.status === 404) return send(res, 404, 'Not found.');
  res.writeHead(r.status, { ...r.headers, ...extra });
  if (!r.body) {
    res.end();
    return;
  }
  r.body.on('error', () => res.destroy());
  res.on('close', () => r.body?.destroy());
  r.body.pipe(res);
}
