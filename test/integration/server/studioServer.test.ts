import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../main/core/contract/wire';
import { silentLogger } from '../../../main/core/logger';
import { startStudioServer, type RunningStudioServer } from '../../../main/core/server/studioServer';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';
import { encodeFrame, openRawWebSocket, type FrameSpec } from '../../helpers/rawWebSocket';

let core: StudioCore;
let server: RunningStudioServer;
let cookie: string;
let rendererDir: string;

/** Raw HTTP so tests control every header (fetch would add or refuse some). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET', body?: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function connect(headers: Record<string, string>): Promise<{ ws: WebSocket; messages: ServerMessage[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers });
    const messages: ServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as ServerMessage));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

/** Sends a request and waits for its answer (however long the loaded machine takes; the test's own timeout bounds it). */
function rpc(ws: WebSocket, messages: ServerMessage[], id: number, channel: string, input: unknown) {
  const answered = () => {
    const found = messages.find((m) => m.t === 'res' && m.id === id);
    return found && found.t === 'res' ? found.envelope : null;
  };
  return new Promise<NonNullable<ReturnType<typeof answered>>>((resolve, reject) => {
    const onMessage = () => {
      const envelope = answered();
      if (!envelope) return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(envelope);
    };
    const onClose = () => reject(new Error(`the socket closed before ${channel} was answered`));
    // Registered after connect()'s collector, so the answer is already in `messages` here.
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ t: 'req', id, channel, input }));
  });
}

const rawUpgrade = async (path: string, headers: Record<string, string>): Promise<string> => {
  const sock = await openRawWebSocket(server.port, path, headers);
  sock.destroy();
  return sock.status;
};

const own = () => ({ Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie });

beforeAll(async () => {
  rendererDir = makeTempDir('renderer');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio shell</title>');
  core = await createStudioCore({ home: makeTempDir('server-home'), log: silentLogger });
  server = await startStudioServer({ core, rendererDir });
  const exchange = await raw(`/?token=${server.token}`, { Host: `127.0.0.1:${server.port}` });
  cookie = String(exchange.headers['set-cookie']).split(';')[0] ?? '';
});
afterAll(async () => {
  await server?.close();
  core?.dispose();
});

describe('headless studio server', () => {
  it('binds loopback on a random port and refuses a non-loopback bind unless asked', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    await expect(startStudioServer({ core, rendererDir, host: '0.0.0.0' })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0.*--host 0\.0\.0\.0/);
  });

  it('trades the URL token for an HttpOnly, SameSite=Strict cookie and serves the page with a strict CSP', async () => {
    const exchange = await raw(`/?token=${server.token}`, { Host: `127.0.0.1:${server.port}` });
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/');
    expect(String(exchange.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    const page = await raw('/', { Host: `127.0.0.1:${server.port}`, Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('studio shell');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('refuses a wrong or missing token, a foreign Origin and a foreign Host', async () => {
    expect((await raw('/?token=wrong', { Host: `127.0.0.1:${server.port}` })).status).toBe(401);
    expect((await raw('/', { Host: `127.0.0.1:${server.port}` })).status).toBe(401);
    expect((await raw('/', { Host: `127.0.0.1:${server.port}`, Cookie: `wan_studio_${server.port}=nope` })).status).toBe(401);
    expect((await raw('/', { ...own(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw('/', { ...own(), Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` })).status).toBe(421);
    expect((await raw('/', { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` })).status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    expect(await connect({ Origin: `http://127.0.0.1:${server.port}` })).toEqual({ refused: 401 });
    expect(await connect({ Origin: 'http://evil.example', Cookie: cookie })).toEqual({ refused: 403 });
    expect(await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: `wan_studio_${server.port}=guess` })).toEqual({ refused: 401 });
  });

  it('answers malformed paths and cookies with 400/401 and keeps serving (HTTP and WebSocket upgrade)', async () => {
    const host = { Host: `127.0.0.1:${server.port}` };
    for (const path of ['//', '///', '//a:99999', '//[']) {
      expect(await rawUpgrade(path, { ...host, Cookie: cookie })).toBe('HTTP/1.1 400 Bad Request');
      expect((await raw(path, { ...host, Cookie: cookie })).status).toBe(400);
    }
    const badCookie = { ...host, Cookie: `wan_studio_${server.port}=%` };
    expect(await rawUpgrade('/ws', badCookie)).toBe('HTTP/1.1 401 Unauthorized');
    expect((await raw('/', badCookie)).status).toBe(401);
    expect((await raw('/', { ...host, Cookie: `wan_studio_${server.port}=%E0%A4%A` })).status).toBe(401);
    expect((await raw('/', own())).status).toBe(200);
    expect(await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie })).toHaveProperty('ws');
  });

  it.each<[string, FrameSpec, number]>([
    ['a frame declaring more than 1 MiB', { payload: Buffer.alloc(0), declaredLength: 2 * 1024 * 1024 }, 1009],
    ['a text frame that is not UTF-8', { payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }, 1007],
    ['an unmasked client frame', { payload: '{}', mask: false }, 1002],
    ['a frame with RSV1 set', { payload: '{}', rsv1: true }, 1002],
    ['an unknown opcode', { opcode: 3, payload: '{}' }, 1002],
    ['a close frame with an invalid code', { opcode: 8, payload: Buffer.from([0x03, 0xe7]) }, 1002],
  ])('closes the socket on %s with code %i and keeps serving', async (_what, spec, code) => {
    const sock = await openRawWebSocket(server.port, '/ws', own());
    expect(sock.status).toBe('HTTP/1.1 101 Switching Protocols');
    sock.send(encodeFrame(spec));
    expect(await sock.closed).toBe(code);
    sock.destroy();
    expect((await raw('/', own())).status).toBe(200);
  });

  it('a message over 1 MiB (a pasted prompt) closes only that socket with 1009', async () => {
    const sock = await openRawWebSocket(server.port, '/ws', own());
    const prompt = 'x'.repeat(1024 * 1024 + 10);
    sock.send(encodeFrame({ payload: JSON.stringify({ t: 'req', id: 1, channel: 'library.listProjects', input: { search: prompt } }) }));
    expect(await sock.closed).toBe(1009);
    sock.destroy();
    const c = await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie });
    if (!('ws' in c)) throw new Error('refused');
    expect(await rpc(c.ws, c.messages, 1, 'library.listProjects', {})).toMatchObject({ ok: true });
    c.ws.close();
  });

  it('answers a 5,000-deep draft with invalid_input, not a crash', async () => {
    const c = await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie });
    if (!('ws' in c)) throw new Error('refused');
    const project = await rpc(c.ws, c.messages, 1, 'library.createProject', { name: 'Deep' });
    const id = project.ok ? (project.value as { id: string }).id : '';
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    c.ws.send(`{"t":"req","id":2,"channel":"library.updateProjectState","input":{"id":"${id}","patch":{"s2v":{"params":{"prompt":${deep}}}}}}`);
    await expect.poll(() => c.messages.find((m) => m.t === 'res' && m.id === 2)).toMatchObject({ envelope: { ok: false, error: { code: 'invalid_input' } } });
    c.ws.close();
  });

  it('carries the contract over WebSocket, pushes events to every client, and closes on a malformed frame', async () => {
    const a = await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie });
    const b = await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie });
    if (!('ws' in a) || !('ws' in b)) throw new Error('connection refused');
    const created = await rpc(a.ws, a.messages, 1, 'library.createProject', { name: 'Over the wire' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Over the wire' } });
    await expect.poll(() => b.messages.some((m) => m.t === 'evt' && m.name === 'library.changed')).toBe(true);
    expect(await rpc(a.ws, a.messages, 2, 'library.createProject', { name: '' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'library.createProject: name: must not be empty' },
    });
    // A page in a browser may not name files on the server's disk.
    const id = created.ok ? (created.value as { id: string }).id : '';
    expect(await rpc(a.ws, a.messages, 3, 'media.import', { projectId: id, source: { kind: 'path', path: '/etc/passwd' } })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Importing by file path is only possible in the desktop app. Upload the file instead.' },
    });
    const closed = new Promise<number>((r) => a.ws.on('close', (code) => r(code)));
    a.ws.send('not json at all');
    expect(await closed).toBe(1003);
    b.ws.close();
  });

  it('uploads stream into the library and import through the contract; media is served with Range from library folders only', async () => {
    const src = makeTempDir('upload-src');
    const wav = readFileSync(makeWav(join(src, 'clip.wav'), 1));
    const up = await raw('/api/upload', { ...own(), 'Content-Type': 'application/octet-stream' }, 'POST', wav);
    expect(up.status).toBe(200);
    const { uploadId, bytes } = JSON.parse(up.body.toString()) as { uploadId: string; bytes: number };
    expect(bytes).toBe(wav.length);
    expect(existsSync(join(core.library.layout.uploads, uploadId))).toBe(true);
    expect((await raw('/api/upload', { ...own(), Origin: 'http://evil.example' }, 'POST', wav)).status).toBe(403);
    expect((await raw('/api/upload', { Host: `127.0.0.1:${server.port}` }, 'POST', wav)).status).toBe(401);

    const c = await connect({ Origin: `http://127.0.0.1:${server.port}`, Cookie: cookie });
    if (!('ws' in c)) throw new Error('refused');
    const project = await rpc(c.ws, c.messages, 1, 'library.createProject', { name: 'Uploads' });
    const projectId = project.ok ? (project.value as { id: string }).id : '';
    const imported = await rpc(c.ws, c.messages, 2, 'media.import', { projectId, source: { kind: 'upload', uploadId, name: 'clip from browser.wav' } });
    expect(imported).toMatchObject({ ok: true, value: { deduped: false, asset: { name: 'clip from browser.wav', kind: 'audio' } } });
    expect(existsSync(join(core.library.layout.uploads, uploadId))).toBe(false);
    const file = imported.ok ? (imported.value as { asset: { file: string; thumb: string } }).asset.file : '';
    c.ws.close();

    const whole = await raw(`/media/${file}`, own());
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.headers['x-content-type-options']).toBe('nosniff');
    expect(whole.body.equals(wav)).toBe(true);
    const part = await raw(`/media/${file}`, { ...own(), Range: 'bytes=10-109' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-109/${wav.length}`);
    expect(part.body.equals(wav.subarray(10, 110))).toBe(true);
    const tail = await raw(`/media/${file}`, { ...own(), Range: 'bytes=-16' });
    expect(tail.body.equals(wav.subarray(wav.length - 16))).toBe(true);
    expect((await raw(`/media/${file}`, { ...own(), Range: `bytes=${wav.length + 5}-` })).status).toBe(416);

    expect((await raw('/media/..%2flibrary.db', own())).status).toBe(403);
    expect((await raw('/media/library.db', own())).status).toBe(403);
    expect((await raw('/media/%2Fetc%2Fpasswd', own())).status).toBe(403);
    expect((await raw('/media/media%2F..%2F..%2F..%2Fetc%2Fpasswd', own())).status).toBe(403);
    expect((await raw(`/media/${file}`, { Host: `127.0.0.1:${server.port}` })).status).toBe(401);

    // A link planted in a served folder does not lead out of the library.
    mkdirSync(core.library.layout.thumbs, { recursive: true });
    symlinkSync('/etc/passwd', join(core.library.layout.thumbs, 'planted.jpg'));
    const planted = await raw('/media/thumbs/planted.jpg', own());
    expect(planted.status).toBe(403);
    expect(planted.body.toString()).not.toContain('root:');
    expect((await raw('/media/thumbs/never-made.jpg', own())).status).toBe(404);
  });

  it('static files cannot escape the renderer folder', async () => {
    makePng(join(makeTempDir('outside'), 'x.png'));
    expect((await raw('/..%2f..%2fetc%2fpasswd', own())).status).toBe(404);
    expect((await raw('/assets/missing.js', own())).status).toBe(404);
    // Unknown app routes fall back to the app shell.
    expect((await raw('/project/abc', own())).body.toString()).toContain('studio shell');
  });
});
