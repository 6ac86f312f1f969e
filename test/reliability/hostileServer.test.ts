import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/generatedMedia';
import { rawGet, rawHttp } from '../helpers/rawHttp';
import { encodeFrame, openRawWebSocket, type RawWebSocket } from '../helpers/rawWebSocket';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

/**
 * Drill: a corpus of hostile requests thrown at the real `wan-studio serve` process. After every
 * case the process must still be running and answering, and every answer must be an error:
 * an HTTP status of 400 or more, a refused upgrade, a close code, or an error envelope.
 */
let serve: ServeHandle;
let port: number;
let cases = 0;

const host = () => `127.0.0.1:${port}`;
const authed = () => ({ Host: host(), Authorization: `Bearer ${serve.token}` });
const browser = () => ({ Host: host(), Origin: `http://${host()}`, Cookie: `wan_studio_${port}=${encodeURIComponent(serve.token)}` });

beforeAll(async () => {
  const home = makeTempDir('hostile-home');
  mkdirSync(join(home, 'media'), { recursive: true });
  writeFileSync(join(home, 'media', 'probe.txt'), 'library media');
  serve = await startServe(home);
  port = Number(new URL(serve.origin).port);
});

afterAll(async () => {
  console.log(`hostile corpus: ${cases} cases`);
  await serve?.stop();
});

/** The drill's invariant, checked after every case. */
async function expectAlive(what: string): Promise<void> {
  cases++;
  expect(serve.proc.exitCode, `server exited after ${what}:\n${serve.output()}`).toBeNull();
  const page = await rawGet(port, '/media/media/probe.txt', authed());
  expect(page.status, `server stopped answering after ${what}`).toBe(200);
  expect(page.body.toString()).toBe('library media');
}

describe('hostile HTTP requests', () => {
  const unauthenticated = (): Array<[string, string, Record<string, string>]> => [
    ['GET', '/', { Host: host() }],
    ['GET', '/media/media/probe.txt', { Host: host() }],
    ['POST', '/api/upload', { Host: host(), 'Content-Length': '0' }],
    ['GET', '/?token=%', { Host: host() }],
    ['GET', `/?token=${'a'.repeat(5000)}`, { Host: host() }],
    ['GET', '/?token=wrong&token=also', { Host: host() }],
    ['GET', '/', { Host: host(), Cookie: `wan_studio_${port}=%` }],
    ['GET', '/', { Host: host(), Cookie: `wan_studio_${port}=%E0%A4%A` }],
    ['GET', '/', { Host: host(), Cookie: `wan_studio_${port}=${'%'.repeat(4000)}` }],
    ['GET', '/', { Host: host(), Cookie: ';;;=;=%;wan_studio_=x' }],
    ['GET', '/', { Host: host(), Cookie: `wan_studio_${port}=${'x'.repeat(20_000)}` }],
    ['GET', '/', { Host: host(), Authorization: 'Bearer ' }],
    ['GET', '/', { Host: host(), Authorization: 'Basic dXNlcjpwYXNz' }],
    ['GET', '/', { Host: host(), Authorization: `Bearer ${'%'.repeat(100)}` }],
    ['GET', '/api/upload', { Host: host() }],
  ];

  const withToken = (): Array<[string, string, Record<string, string>]> => [
    ...['//', '///', '//a:99999', '//[', '*', 'http://evil.example/', '/%', '/%zz', '/media/%', '/media/%zz', '/media/%00', '/media/..%2flibrary.db', '/media/library.db', '/media/tmp/x', '/media/media/missing.png'].map(
      (target): [string, string, Record<string, string>] => ['GET', target, authed()],
    ),
    ['PUT', '/', authed()],
    ['DELETE', '/media/media/probe.txt', authed()],
    ['POST', '/', authed()],
    ['PATCH', '/api/upload', authed()],
    ['GET', '/api/upload', authed()],
    ['GET', '/', { ...authed(), Host: `evil.example:${port}` }],
    ['GET', '/', { ...authed(), Origin: 'http://evil.example' }],
    ['GET', '/', { ...browser(), Origin: 'null' }],
    ['GET', '/media/media/probe.txt', { ...authed(), Range: 'bytes=999999999999999999999-' }],
    ['GET', '/media/media/probe.txt', { ...authed(), Range: 'bytes=-0' }],
    ['GET', '/media/media/probe.txt', { ...authed(), Range: 'bytes=50-10' }],
  ];

  it('answers every malformed or unauthenticated request with an error and keeps serving', async () => {
    for (const [method, target, headers] of [...unauthenticated(), ...withToken()]) {
      const what = `${method} ${target.slice(0, 60)} ${JSON.stringify(headers).slice(0, 120)}`;
      const answer = await rawGet(port, target, headers, method);
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      await expectAlive(what);
    }
  }, 120_000);

  it('answers bytes that are not HTTP, smuggling attempts and oversized heads with an error', async () => {
    const requests = [
      'GARBAGE\r\n\r\n',
      '\u0000\u0001\u0002\u0003\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET / HTTP/1.1\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host()}\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: y`).join('\r\n')}\r\n\r\n`,
      `POST /api/upload HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      `POST /api/upload HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${serve.token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host()}\r\nBad Header Line\r\n\r\n`,
    ];
    for (const request of requests) {
      const answer = await rawHttp(port, request);
      expect(answer.status, JSON.stringify(request.slice(0, 80))).toBeGreaterThanOrEqual(400);
      await expectAlive(JSON.stringify(request.slice(0, 80)));
    }
  }, 120_000);
});

describe('hostile WebSocket upgrades', () => {
  it('refuses malformed paths, missing or broken tokens and foreign origins', async () => {
    const handshake = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    const attempts: Array<[string, Record<string, string>]> = [
      ...['//', '///', '//a:99999', '//[', '*', '/wsx', '/ws%', '/%', 'http://evil.example/ws'].map((p): [string, Record<string, string>] => [p, { ...handshake, ...browser() }]),
      ['/ws', { ...handshake, Host: host() }],
      ['/ws', { ...handshake, Host: host(), Cookie: `wan_studio_${port}=%` }],
      ['/ws', { ...handshake, Host: host(), Cookie: `wan_studio_${port}=%E0%A4%A` }],
      ['/ws', { ...handshake, Host: host(), Cookie: `wan_studio_${port}=guess` }],
      ['/ws', { ...handshake, ...browser(), Origin: 'http://evil.example' }],
      ['/ws', { ...handshake, ...browser(), Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` }],
      ['/ws', { ...browser(), Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '99', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' }],
      ['/ws', { ...browser(), Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13' }],
      ['/ws', { ...browser(), Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'short' }],
    ];
    for (const [path, headers] of attempts) {
      const what = `upgrade ${path} ${JSON.stringify(headers).slice(0, 160)}`;
      const answer = await rawGet(port, path, headers);
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      await expectAlive(what);
    }
  }, 120_000);
});

async function openSocket(): Promise<RawWebSocket> {
  const sock = await openRawWebSocket(port, '/ws', browser());
  expect(sock.status).toBe('HTTP/1.1 101 Switching Protocols');
  return sock;
}

describe('hostile WebSocket frames', () => {
  const frames: Array<[string, Buffer, number]> = [
    ['declared length over 1 MiB', encodeFrame({ declaredLength: 2 * 1024 * 1024 }), 1009],
    ['declared length 2^63', encodeFrame({ declaredLength: 2 ** 53 }), 1009],
    ['invalid UTF-8 text', encodeFrame({ payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }), 1007],
    ['overlong UTF-8 text', encodeFrame({ payload: Buffer.from([0xc0, 0xaf]) }), 1007],
    ['unmasked client frame', encodeFrame({ payload: '{}', mask: false }), 1002],
    ...[1, 2, 3, 4, 5, 6, 7].map((rsv): [string, Buffer, number] => [`reserved bits ${rsv}`, encodeFrame({ payload: '{}', rsv }), 1002]),
    ...[3, 4, 5, 6, 7, 11, 12, 13, 14, 15].map((opcode): [string, Buffer, number] => [`opcode ${opcode}`, encodeFrame({ opcode, payload: '{}' }), 1002]),
    ...[0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535].map((code): [string, Buffer, number] => {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      return [`close code ${code}`, encodeFrame({ opcode: 8, payload }), 1002];
    }),
    ['close frame with a 1-byte body', encodeFrame({ opcode: 8, payload: Buffer.from([3]) }), 1002],
    ['close reason that is not UTF-8', encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8, 0xff, 0xfe]) }), 1007],
    ['fragmented ping', encodeFrame({ opcode: 9, fin: false, payload: 'x' }), 1002],
    ['ping over 125 bytes', encodeFrame({ opcode: 9, payload: Buffer.alloc(126) }), 1002],
    ['continuation without a start', encodeFrame({ opcode: 0, payload: '{}' }), 1002],
    ['new message inside a fragmented one', Buffer.concat([encodeFrame({ fin: false, payload: '{"t":' }), encodeFrame({ payload: '{}' })]), 1002],
    ['fragments adding up to over 1 MiB', Buffer.concat([encodeFrame({ fin: false, payload: Buffer.alloc(700_000, 0x20) }), encodeFrame({ opcode: 0, payload: Buffer.alloc(700_000, 0x20) })]), 1009],
    ['a binary message', encodeFrame({ opcode: 2, payload: Buffer.from('{"t":"req","id":1,"channel":"settings.get"}') }), 1003],
    ['text that is not JSON', encodeFrame({ payload: 'not json at all' }), 1003],
    ['a JSON number', encodeFrame({ payload: '42' }), 1003],
    ['JSON null', encodeFrame({ payload: 'null' }), 1003],
    ['a JSON array', encodeFrame({ payload: '[1,2,3]' }), 1003],
    ['a request without an id', encodeFrame({ payload: '{"t":"req","channel":"settings.get"}' }), 1003],
    ['a request with a fractional id', encodeFrame({ payload: '{"t":"req","id":1.5,"channel":"settings.get"}' }), 1003],
    ['a request with an id past 2^53', encodeFrame({ payload: '{"t":"req","id":18014398509481984,"channel":"settings.get"}' }), 1003],
    ['a request with a numeric channel', encodeFrame({ payload: '{"t":"req","id":1,"channel":7}' }), 1003],
    ['a response sent by the client', encodeFrame({ payload: '{"t":"res","id":1,"envelope":{"ok":true}}' }), 1003],
    ['a message of 1 MiB plus one byte', encodeFrame({ payload: JSON.stringify({ t: 'req', id: 1, channel: 'library.updateProjectState', input: { prompt: 'x'.repeat(1024 * 1024) } }) }), 1009],
  ];

  it('closes the socket with the matching code on every protocol error and keeps serving', async () => {
    for (const [what, bytes, code] of frames) {
      const sock = await openSocket();
      sock.send(bytes);
      expect(await sock.closed, what).toBe(code);
      sock.destroy();
      await expectAlive(what);
    }
  }, 120_000);
});

/** Sends one text message and waits for the answer to `id`, or for the socket to close. */
function ask(sock: RawWebSocket, text: string, id: number): Promise<unknown> {
  const answered = new Promise<unknown>((resolve) => {
    sock.onFrame((f) => {
      if (f.opcode !== 1) return;
      const m = JSON.parse(f.payload.toString()) as { t: string; id?: number; envelope?: unknown };
      if (m.t === 'res' && m.id === id) resolve(m.envelope);
    });
  });
  sock.send(encodeFrame({ payload: text }));
  return Promise.race([answered, sock.closed.then((code) => ({ closed: code }))]);
}

describe('hostile requests inside valid messages', () => {
  const deepArray = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
  const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const req = (channel: string, input: unknown) => JSON.stringify({ t: 'req', id: 1, channel, input });
  const rawReq = (channel: string, inputJson: string) => `{"t":"req","id":1,"channel":${JSON.stringify(channel)},"input":${inputJson}}`;

  const messages: Array<[string, string]> = [
    ...['library.dropTables', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'library.', '.', 'x'.repeat(100_000), 'settings.get\u0000'].map(
      (channel): [string, string] => [`unknown channel ${JSON.stringify(channel.slice(0, 30))}`, req(channel, {})],
    ),
    ['input nested 5,000 deep (arrays)', rawReq('library.createProject', `{"name":${deepArray(5000)}}`)],
    ['input nested 100,000 deep (arrays)', rawReq('library.createProject', `{"name":${deepArray(100_000)}}`)],
    ['input nested 5,000 deep (objects)', rawReq('library.listProjects', deepObject(5000))],
    ['draft params nested 5,000 deep', rawReq('library.updateProjectState', `{"id":"abcdefgh","patch":{"s2v":{"params":{"prompt":${deepArray(5000)}}}}}`)],
    ['a 900 KB prompt in a draft', req('library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { params: { prompt: 'x'.repeat(900_000) } } } })],
    ['a 900 KB search', req('library.listProjects', { search: 'x'.repeat(900_000) })],
    ['a 10,000-character project name', req('library.createProject', { name: 'x'.repeat(10_000) })],
    ['a project name with a control character', req('library.createProject', { name: 'a\u001b[2Jb' })],
    ['__proto__ in the input', rawReq('library.createProject', '{"__proto__":{"admin":true},"name":""}')],
    ['a path traversal id', req('library.getProject', { id: '../../etc/passwd' })],
    ['an id of the wrong type', req('library.getProject', { id: 42 })],
    ['a missing project', req('library.getProject', { id: 'abcdefgh' })],
    ['peaks: too many', req('media.peaks', { assetId: 'abcdefgh', maxPeaks: 1e9 })],
    ['peaks: negative', req('media.peaks', { assetId: 'abcdefgh', maxPeaks: -5 })],
    ['peaks: infinite', rawReq('media.peaks', '{"assetId":"abcdefgh","maxPeaks":1e400}')],
    ['peaks: not a whole number', req('media.peaks', { assetId: 'abcdefgh', maxPeaks: 16.5 })],
    ['trim: negative in point', req('library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { audioTrim: { inSec: -1, outSec: null } } } })],
    ['trim: out before in', req('library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { audioTrim: { inSec: 5, outSec: 1 } } } })],
    ['trim: a year long', req('library.updateProjectState', { id: 'abcdefgh', patch: { animate: { videoTrim: { inSec: 0, outSec: 3e7 } } } })],
    ['draft with 100 fields', req('library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { params: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, i])) } } })],
    ['import by path over the network', req('media.import', { projectId: 'abcdefgh', source: { kind: 'path', path: '/etc/passwd' } })],
    ['import of a traversal upload id', req('media.import', { projectId: 'abcdefgh', source: { kind: 'upload', uploadId: '../../../etc/passwd', name: 'x' } })],
    ['import of an unknown upload', req('media.import', { projectId: 'abcdefgh', source: { kind: 'upload', uploadId: 'a'.repeat(32), name: 'x.png' } })],
    ['render of a missing project', req('render.submit', { projectId: 'abcdefgh', engine: 'cloud' })],
    ['render with an unknown engine', req('render.submit', { projectId: 'abcdefgh', engine: 'quantum' })],
    ['cancel of a missing job', req('render.cancel', { jobId: 'abcdefgh' })],
    ['a settings key that does not exist', req('settings.update', { patch: { apiKey: 'x' } })],
    ['a theme out of range', req('settings.update', { patch: { theme: 'neon' } })],
    ['an unknown key on a strict input', req('library.listProjects', { search: 'x', admin: true })],
    ['input of the wrong type', req('library.listProjects', 'everything')],
  ];

  it('answers each with an error envelope on a socket that stays usable', async () => {
    const sock = await openSocket();
    let id = 0;
    for (const [what, text] of messages) {
      const answer = await ask(sock, text.replace('"id":1,', `"id":${++id},`), id);
      expect(answer, what).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(invalid_input|not_found|forbidden)$/) as unknown } });
      await expectAlive(what);
    }
    sock.destroy();
  }, 120_000);
});
