import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { Library } from '../../../main/core/library/library';
import { createLogger, silentLogger } from '../../../main/core/logger';
import { startStudioServer } from '../../../main/core/server/studioServer';
import { createStudioCore } from '../../../main/core/studioCore';
import { openCloudCore, s2vProject, startFake } from '../../helpers/cloudStudio';
import { makeMp4, makePng, makeTempDir, makeTextFile } from '../../helpers/generatedMedia';
import { submitRender } from '../../helpers/renderJobs';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(home: string): Promise<Library> {
  const lib = await Library.open(home);
  cleanups.push(() => lib.close());
  return lib;
}

/** Every file under a folder, as paths relative to it (links included, not followed). */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const hex = (n: number) => 'a'.repeat(n);

/** A library with one imported video, and what a killed process would have left beside it. */
async function libraryWithLeftovers() {
  const home = makeTempDir('hygiene');
  const src = makeTempDir('hygiene-src');
  const lib = await Library.open(home);
  const project = lib.createProject('Kept', 'animate');
  const imported = await lib.importFile({ projectId: project.id, path: makeMp4(join(src, 'clip.mp4'), 1, '160x120'), displayName: 'clip.mp4', move: false });
  const kept = filesUnder(home).filter((f) => !f.startsWith('tmp/') && !f.startsWith('.owners/') && f !== 'library.db' && !f.startsWith('library.db-'));
  lib.close();

  const L = lib.layout;
  const outside = join(src, 'outside.txt');
  writeFileSync(outside, 'not the library’s');
  const plant = (path: string, from?: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    if (from) copyFileSync(from, path);
    else writeFileSync(path, 'leftover');
    return path;
  };
  const leftovers = [
    plant(join(L.uploads, hex(32))), // an upload never imported
    plant(join(L.uploads, `${hex(31)}b.part`)), // a killed upload
    plant(join(L.tmp, '0123456789abcdef.part')), // a killed import's copy
    plant(join(L.media, 'ff', `${'f'.repeat(64)}.png`), makePng(join(src, 'orphan.png'), '32x32')), // placed, row never committed
    plant(join(L.thumbs, 'ff', `${'f'.repeat(64)}.jpg`)),
    plant(join(L.cache, 'ff', `${'f'.repeat(64)}.poster.jpg`)),
    plant(join(L.outputs, project.id, '.job1.1a2b3c4d.part.jpg')), // a poster's temp sibling
    plant(join(L.outputs, project.id, 'job1.mp4')), // a render killed before its output row
    plant(join(L.outputs, project.id, 'exports', 'gone-output', 'seed1-mp4.mp4')),
    plant(join(L.outputs, 'deleted-project', 'job2.mp4')),
    plant(join(L.jobs, 'deleted-job', 'inputs', 'audio.wav')),
  ];
  const link = join(L.media, 'ff', 'link-to-outside.txt');
  symlinkSync(outside, link);
  leftovers.push(link);
  const notOurs = plant(join(home, 'notes.txt')); // the library's home, but no library folder
  return { home, project, asset: imported.asset, kept, leftovers, outside, notOurs };
}

describe('sweeping what a crash left', () => {
  it('at start: uploads, .part files, unreferenced media, previews, outputs and job folders go; referenced files, links’ targets and other files stay', async () => {
    const s = await libraryWithLeftovers();
    const lib = await open(s.home);
    for (const f of s.leftovers) expect(existsSync(f), f).toBe(false);
    expect(lib.lastSweep.removed.length).toBeGreaterThanOrEqual(s.leftovers.length - 2);
    for (const f of s.kept) expect(existsSync(join(s.home, f)), f).toBe(true);
    expect(readFileSync(s.outside, 'utf8')).toBe('not the library’s');
    expect(existsSync(s.notOurs)).toBe(true);
    // The library still works with what it kept.
    expect(lib.getProject(s.project.id).assets.map((a) => a.id)).toEqual([s.asset.id]);
    expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('while another live process has the library open, only old temp files go: its import in progress is left alone', async () => {
    const s = await libraryWithLeftovers();
    // Another process registered as an owner (this test's parent is alive).
    writeFileSync(join(s.home, '.owners', `${process.ppid}.feedbeef`), '');
    await open(s.home);
    for (const f of s.leftovers) expect(existsSync(f), f).toBe(true);
  });

  it('an owner file of a killed process does not hold the sweep back', async () => {
    const s = await libraryWithLeftovers();
    // pid 2^22 + 1 is above Linux's pid_max: no such process.
    writeFileSync(join(s.home, '.owners', `${2 ** 22 + 1}.deadbeef`), '');
    await open(s.home);
    for (const f of s.leftovers) expect(existsSync(f), f).toBe(false);
    expect(readdirSync(join(s.home, '.owners'))).toHaveLength(1); // only this process
  });

  it('an upload that fails to import is removed at once, and the library is as it was', async () => {
    const home = makeTempDir('hygiene-upload');
    const lib = await open(home);
    const project = lib.createProject('Uploads', 's2v');
    const upload = makeTextFile(join(lib.layout.uploads, hex(32)));
    const err = await lib.importFile({ projectId: project.id, path: upload, displayName: 'notes.wav', move: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect(existsSync(upload)).toBe(false);
    expect(filesUnder(lib.layout.media)).toEqual([]);
    expect(filesUnder(lib.layout.tmp)).toEqual([]);
    expect(lib.getProject(project.id).assets).toEqual([]);
  });
});

describe('after a failed render', () => {
  it('its video, poster and half-written temp files go at once; other jobs’ files stay', async () => {
    const fake = await startFake({ runMs: 400 });
    cleanups.push(() => fake.stop());
    const core = await openCloudCore(fake, { log: silentLogger });
    cleanups.push(() => core.dispose());
    const projectId = await s2vProject(core);
    fake.faults.failTask = 'CUDA out of memory';
    // The run request waits at the service while the files are planted: the failure comes after.
    const held = fake.hold({ method: 'POST', path: /^\/apps\/run$/, phase: 'before' });
    const job = await submitRender(core, projectId, 'cloud');
    const request = await held;
    // What a render writes before its output row: temp siblings, the video, the poster.
    const dir = join(core.library.layout.outputs, projectId);
    mkdirSync(dir, { recursive: true });
    const ours = [`.${job.id}.1a2b3c4d.part.mp4`, `${job.id}.jpg`, `.${job.id}.9f8e7d6c.part.jpg`].map((n) => join(dir, n));
    const other = join(dir, 'another-job.mp4');
    for (const f of [...ours, other]) writeFileSync(f, 'partial');
    request.release();
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('failed');
    for (const f of ours) expect(existsSync(f), f).toBe(false);
    expect(existsSync(other)).toBe(true);
  });
});

describe('free space', () => {
  it('a file larger than the free space is refused before any copy, naming the file and the room it needs', async () => {
    const home = makeTempDir('hygiene-space');
    const lib = await open(home);
    const project = lib.createProject('Big', 'animate');
    const free = Number(statfsSync(home).bavail) * Number(statfsSync(home).bsize);
    // A sparse file: it claims more bytes than the disk has free without using them.
    const big = join(makeTempDir('hygiene-big'), 'huge take.mp4');
    writeFileSync(big, '');
    truncateSync(big, free + 2 * 1024 ** 3);
    const err = await lib.importFile({ projectId: project.id, path: big, displayName: 'huge take.mp4', move: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('disk_full');
    expect((err as StudioError).message).toMatch(/^huge take\.mp4 \([\d.]+ [KMGT]B\) does not fit: the disk holding the library \(.+\) has [\d.]+ [KMGT]?B free\. Free at least [\d.]+ GB and try again/);
    expect(filesUnder(lib.layout.tmp)).toEqual([]);
  });

  it('an upload declaring more bytes than the free space is refused with 507 before a byte is stored', async () => {
    const rendererDir = makeTempDir('hygiene-renderer');
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
    const core = await createStudioCore({ home: makeTempDir('hygiene-server'), log: silentLogger });
    cleanups.push(() => core.dispose());
    const server = await startStudioServer({ core, rendererDir });
    cleanups.push(() => server.close());
    const free = Number(statfsSync(core.library.home).bavail) * Number(statfsSync(core.library.home).bsize);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/upload',
          method: 'POST',
          headers: {
            Host: `127.0.0.1:${server.port}`,
            Authorization: `Bearer ${server.token}`,
            'Content-Type': 'application/octet-stream',
            'Content-Length': String(free + 2 * 1024 ** 3),
            'X-Upload-Name': encodeURIComponent('long interview.mov'),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(answer.status).toBe(507);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    expect(error.code).toBe('disk_full');
    expect(error.message).toMatch(/^long interview\.mov \([\d.]+ [KMGT]B\) does not fit: .* Free at least [\d.]+ GB/);
    expect(filesUnder(core.library.layout.uploads)).toEqual([]);
  });

  it('an upload the server cannot store answers 500 with the reason and leaves a log line', async () => {
    const rendererDir = makeTempDir('hygiene-renderer');
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
    const lines: string[] = [];
    const core = await createStudioCore({ home: makeTempDir('hygiene-server'), log: createLogger('test', (l) => lines.push(l)) });
    cleanups.push(() => core.dispose());
    const server = await startStudioServer({ core, rendererDir });
    cleanups.push(() => server.close());
    rmSync(core.library.layout.uploads, { recursive: true }); // the folder vanished under the server
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/upload',
          method: 'POST',
          headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/octet-stream', 'X-Upload-Name': 'take.wav' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(Buffer.alloc(1024));
    });
    expect(answer.status).toBe(500);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    expect(error.message).toMatch(/^Could not receive take\.wav/);
    const logged = lines.map((l) => JSON.parse(l) as { level: string; msg: string; code?: string; message?: string }).filter((l) => l.msg === 'server: upload failed');
    expect(logged).toEqual([expect.objectContaining({ level: 'error', code: error.code, message: error.message })]);
  });
});
