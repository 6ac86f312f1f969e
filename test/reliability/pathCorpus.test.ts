import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/generatedMedia';
import { rawGet } from '../helpers/rawHttp';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

/**
 * Drill: every way of naming a file outside the library (encodings, backslashes, NUL bytes,
 * overlong UTF-8, symlinks planted in served folders, very long paths) is thrown at the real
 * `wan-studio serve`, on the media route and the page route. Nothing outside the library's
 * served folders may come back.
 */
let serve: ServeHandle;
let port: number;
let parent: string;
let cases = 0;
/** The app page: what a path that the URL parser normalises out of /media/ gets instead. */
let shell: Buffer;

const SECRET = 'OUTSIDE-SECRET-7f3a';
const UPLOAD = 'UNIMPORTED-UPLOAD-91c2';
/** What must never appear in an answer: files outside, the database, unimported uploads, system files. */
const FORBIDDEN = [SECRET, UPLOAD, 'SQLite format 3', 'root:x:0:0'];

beforeAll(async () => {
  parent = makeTempDir('path-corpus');
  const home = join(parent, 'home');
  const outside = join(parent, 'outside');
  for (const d of ['media', 'thumbs', 'outputs', 'jobs', 'cache', 'tmp/uploads']) mkdirSync(join(home, d), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(home, 'tmp', 'uploads', 'u.txt'), UPLOAD);
  writeFileSync(join(home, 'media', 'ok.txt'), 'inside media');
  symlinkSync('ok.txt', join(home, 'media', 'inner.txt'));
  // Links planted in every served folder, pointing out of it.
  symlinkSync('../../outside/secret.txt', join(home, 'media', 'out.txt'));
  symlinkSync(join(outside, 'secret.txt'), join(home, 'thumbs', 'abs.jpg'));
  symlinkSync(outside, join(home, 'outputs', 'dir'));
  symlinkSync('../library.db', join(home, 'jobs', 'db.mp4'));
  symlinkSync('../tmp', join(home, 'cache', 'tmp'));
  symlinkSync('/etc', join(home, 'media', 'etc'));
  symlinkSync('loop.jpg', join(home, 'thumbs', 'loop.jpg'));
  symlinkSync(join(home, 'media'), join(home, 'thumbs', 'media-dir'));
  serve = await startServe(home);
  port = Number(new URL(serve.origin).port);
  const page = await rawGet(port, '/', authed());
  if (page.status !== 200 || page.body.length === 0) throw new Error(`the app page is not served (${page.status}); build the renderer first`);
  shell = page.body;
});

afterAll(async () => {
  console.log(`path corpus: ${cases} cases`);
  await serve?.stop();
});

const authed = () => ({ Host: `127.0.0.1:${port}`, Authorization: `Bearer ${serve.token}` });

/** Library-relative names that lead outside the served folders, before any encoding. */
const targets = (): string[] => [
  '../outside/secret.txt',
  'media/../../outside/secret.txt',
  'library.db',
  'library.db-wal',
  'media/../library.db',
  'tmp/uploads/u.txt',
  'media/../tmp/uploads/u.txt',
  '/etc/passwd',
  `${parent}/outside/secret.txt`,
  'media/out.txt',
  'thumbs/abs.jpg',
  'outputs/dir/secret.txt',
  'jobs/db.mp4',
  'cache/tmp/uploads/u.txt',
  'media/etc/passwd',
  'thumbs/loop.jpg',
  'thumbs/media-dir/out.txt',
];

/** Ways a client can spell the same path. */
const encodings: Array<[string, (t: string) => string]> = [
  ['raw', (t) => t],
  ['percent-encoded', (t) => encodeURIComponent(t)],
  ['dots as %2e', (t) => t.replace(/\./g, '%2e')],
  ['dots as %2E, slashes as %2F', (t) => t.replace(/\./g, '%2E').replace(/\//g, '%2F')],
  ['double-encoded', (t) => encodeURIComponent(encodeURIComponent(t))],
  ['double-encoded dots', (t) => t.replace(/\./g, '%252e')],
  ['backslashes', (t) => t.replace(/\//g, '\\')],
  ['backslashes as %5c', (t) => t.replace(/\//g, '%5c')],
  ['NUL after', (t) => `${t}%00.png`],
  ['NUL before', (t) => `%00${t}`],
  ['overlong UTF-8 dots and slashes', (t) => t.replace(/\./g, '%c0%ae').replace(/\//g, '%c0%af')],
  ['fullwidth dots', (t) => t.replace(/\./g, '%EF%BC%8E')],
  ['doubled slashes', (t) => t.replace(/\//g, '//')],
  ['dot segments', (t) => t.replace(/\//g, '/./')],
  ['path parameter', (t) => `${t};.png`],
  ['query and fragment', (t) => `${t}?x=1#y`],
];

function expectNothingLeaks(what: string, status: number, body: Buffer): void {
  cases++;
  const text = body.toString('latin1');
  for (const marker of FORBIDDEN) expect(text.includes(marker), `${what} answered ${status} with ${marker}`).toBe(false);
}

/** Nothing in the corpus is a servable file: the answer is a refusal, or the app page when `..` took the path out of /media/. */
function expectRefusedOrShell(what: string, status: number, body: Buffer): void {
  if (status < 400) expect(body.equals(shell), `${what} answered ${status} with something other than the app page`).toBe(true);
}

describe('path corpus', () => {
  it('serves files inside the library, including a link that stays inside its folder', async () => {
    for (const path of ['/media/media/ok.txt', '/media/media/inner.txt', '/media/media%2Fok.txt']) {
      const answer = await rawGet(port, path, authed());
      expect(answer.status, path).toBe(200);
      expect(answer.body.toString()).toBe('inside media');
    }
  });

  it('never serves a file outside the library, however it is spelled, on the media route or the page route', async () => {
    for (const target of targets()) {
      for (const [how, encode] of encodings) {
        const spelled = encode(target);
        const media = await rawGet(port, `/media/${spelled}`, authed());
        expectNothingLeaks(`/media/ ${target} (${how})`, media.status, media.body);
        expectRefusedOrShell(`/media/${spelled} (${how})`, media.status, media.body);
        const page = await rawGet(port, `/${spelled}`, authed());
        expectNothingLeaks(`/ ${target} (${how})`, page.status, page.body);
      }
    }
    expect(serve.proc.exitCode).toBeNull();
  }, 180_000);

  it('refuses very long paths without leaking or stopping', async () => {
    const long = [
      `media/${'a/'.repeat(2000)}${'../'.repeat(2002)}outside/secret.txt`,
      `media/${'x'.repeat(5000)}`,
      `media/${'%2e%2e%2f'.repeat(1500)}etc/passwd`,
      `media/${'a'.repeat(70_000)}`,
    ];
    for (const path of long) {
      const answer = await rawGet(port, `/media/${path}`, authed());
      expectNothingLeaks(`long path of ${path.length} characters`, answer.status, answer.body);
      expectRefusedOrShell(`long path of ${path.length} characters`, answer.status, answer.body);
    }
    expect((await rawGet(port, '/media/media/ok.txt', authed())).status).toBe(200);
  }, 60_000);
});
