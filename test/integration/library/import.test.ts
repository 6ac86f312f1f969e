import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { Library } from '../../../main/core/library/library';
import { makeMp4, makePng, makeTempDir, makeTextFile, makeWav } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';

const libs: Library[] = [];
afterEach(() => {
  for (const l of libs.splice(0)) l.close();
});

async function freshLibrary(prefix: string) {
  const lib = await Library.open(makeTempDir(prefix));
  libs.push(lib);
  return lib;
}

const importPath = (lib: Library, projectId: string, path: string, displayName = path.split('/').pop() ?? path) =>
  lib.importFile({ projectId, path, displayName, move: false });

/** Everything under a folder, recursively, as library-relative names. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

async function expectStudioError(p: Promise<unknown>, code: string, ...fragments: Array<string | RegExp>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the import to fail').toBeInstanceOf(StudioError);
  expect((err as StudioError).code).toBe(code);
  for (const f of fragments) expect((err as StudioError).message).toMatch(f);
}

describe('importing media into the library', () => {
  it('stores probed metadata and a thumbnail for an image, a WAV and a video', async () => {
    const lib = await freshLibrary('imp-basic');
    const src = makeTempDir('imp-src');
    const project = lib.createProject('Basic');
    const png = await importPath(lib, project.id, makePng(join(src, 'face.png'), '640x480'));
    const wav = await importPath(lib, project.id, makeWav(join(src, 'speech.wav'), 3, 48000));
    const mp4 = await importPath(lib, project.id, makeMp4(join(src, 'drive.mp4'), 2, '480x272'));

    expect(png.asset).toMatchObject({ kind: 'image', name: 'face.png', media: { container: 'png', width: 640, height: 480, durationSec: null } });
    expect(wav.asset).toMatchObject({ kind: 'audio', media: { container: 'wav', sampleRate: 48000, channels: 1, audioCodec: 'pcm_s16le' } });
    expect(wav.asset.media.durationSec).toBeCloseTo(3, 2);
    expect(mp4.asset).toMatchObject({ kind: 'video', media: { container: 'mp4', width: 480, height: 272, videoCodec: 'h264', audioCodec: 'aac' } });
    expect(mp4.asset.media.fps).toBeCloseTo(25, 3);
    for (const { asset } of [png, wav, mp4]) {
      expect(asset.sha256).toMatch(/^[a-f0-9]{64}$/);
      expect(existsSync(join(lib.home, asset.file))).toBe(true);
      expect(asset.thumb).not.toBeNull();
      expect(existsSync(join(lib.home, asset.thumb ?? ''))).toBe(true);
    }
    expect(lib.getProject(project.id).assets.map((a) => a.name)).toEqual(['face.png', 'speech.wav', 'drive.mp4']);
    expect(filesUnder(lib.layout.tmp)).toEqual([]);

    // Previews: a poster and a 20-frame filmstrip for the video, waveform peaks for anything with sound.
    expect(png.asset).toMatchObject({ poster: null, filmstrip: null, hasPeaks: false });
    expect(wav.asset).toMatchObject({ poster: null, filmstrip: null, hasPeaks: true });
    expect(mp4.asset.hasPeaks).toBe(true);
    expect(mp4.asset.poster).toMatch(/^cache\/[a-f0-9]{2}\/[a-f0-9]{64}\.poster\.jpg$/);
    expect(mp4.asset.filmstrip).toMatchObject({ frameHeight: 90, frameWidth: 158 });
    expect(mp4.asset.filmstrip?.times).toHaveLength(20);
    expect(existsSync(join(lib.home, mp4.asset.filmstrip?.file ?? ''))).toBe(true);
    const peaks = await lib.peaksOf(wav.asset.id);
    expect(peaks.durationSec).toBeCloseTo(3, 1);

    // Removing the video removes its previews too (nothing else uses that content).
    await lib.removeAsset(mp4.asset.id);
    expect(existsSync(join(lib.home, mp4.asset.poster ?? ''))).toBe(false);
    expect(existsSync(join(lib.home, mp4.asset.filmstrip?.file ?? ''))).toBe(false);
    expect(filesUnder(lib.layout.cache).filter((f) => f.includes(mp4.asset.sha256))).toEqual([]);
  });

  it('dedupes by content hash: same file twice in a project is one asset; in two projects it is stored once', async () => {
    const lib = await freshLibrary('imp-dedupe');
    const src = makeTempDir('imp-dedupe-src');
    const a = makePng(join(src, 'a.png'));
    const copy = join(src, 'same content, other name.png');
    copyFileSync(a, copy);
    const p1 = lib.createProject('One');
    const p2 = lib.createProject('Two');

    const first = await importPath(lib, p1.id, a);
    const again = await importPath(lib, p1.id, copy);
    expect(first.deduped).toBe(false);
    expect(again.deduped).toBe(true);
    expect(again.asset.id).toBe(first.asset.id);
    expect(lib.getProject(p1.id).assets).toHaveLength(1);

    const other = await importPath(lib, p2.id, a);
    expect(other.deduped).toBe(false);
    expect(other.asset.file).toBe(first.asset.file);
    expect(filesUnder(lib.layout.media)).toHaveLength(1);

    // Deleting one project keeps the content the other still uses; deleting both removes it.
    await lib.deleteProject(p1.id);
    expect(existsSync(join(lib.home, first.asset.file))).toBe(true);
    await lib.deleteProject(p2.id);
    expect(existsSync(join(lib.home, first.asset.file))).toBe(false);
    expect(filesUnder(lib.layout.thumbs)).toEqual([]);
  });

  it('accepts names with unicode, spaces, quotes, leading dashes and ../ without escaping the library', async () => {
    const lib = await freshLibrary('imp-names');
    const src = makeTempDir('imp-names-src');
    const weird = join(src, 'sub dir', `-Ünï cødé "quoted" 'single' $(x) ; rm -rf.png`);
    mkdirSync(join(src, 'sub dir'), { recursive: true });
    makePng(join(src, 'plain.png'));
    copyFileSync(join(src, 'plain.png'), weird);
    const project = lib.createProject('../../etc/passwd "name"');
    expect(project.name).toBe('../../etc/passwd "name"');

    const viaDotDot = join(src, 'sub dir', '..', 'sub dir', `-Ünï cødé "quoted" 'single' $(x) ; rm -rf.png`);
    const { asset } = await importPath(lib, project.id, viaDotDot);
    expect(asset.name).toBe(`-Ünï cødé "quoted" 'single' $(x) ; rm -rf.png`);
    expect(asset.file).toMatch(/^media\/[a-f0-9]{2}\/[a-f0-9]{64}\.png$/);
    expect(existsSync(join(src, 'plain.png'))).toBe(true);
  });

  it('keeps no escape sequences or control characters in asset names', async () => {
    const lib = await freshLibrary('imp-ctrl');
    const png = makePng(join(makeTempDir('imp-ctrl-src'), 'face.png'));
    const project = lib.createProject('Names');
    const { asset } = await importPath(lib, project.id, png, '\u001b[31mred\u001b[0m\u0007\r\nface\u001b]0;pwned\u0007\u202e.png');
    expect(asset.name).toBe('red face.png');
    const other = await importPath(lib, lib.createProject('Other').id, png, '\u001b[2J\u0000.png');
    expect(other.asset.name).toBe('untitled.png');
  });

  it('refuses a 16000×16000 image from its header, before copying or decoding it', async () => {
    const lib = await freshLibrary('imp-huge');
    const project = lib.createProject('Huge');
    const stages: string[] = [];
    const attempt = lib.importFile({ projectId: project.id, path: fixtures.hugeImage(), displayName: 'poster.png', move: false, onProgress: (stage) => stages.push(stage) });
    await expectStudioError(attempt, 'unsupported_media', 'poster.png is 16000×16000 pixels; Wan Studio takes up to 8192 pixels on a side. Scale it down and import it again.');
    expect(stages).toEqual([]);
    expect(filesUnder(lib.layout.media)).toEqual([]);
  });

  it('a missing file, a folder, an empty file and a text file renamed .mp4 each get a clear error and change nothing', async () => {
    const lib = await freshLibrary('imp-bad');
    const src = makeTempDir('imp-bad-src');
    const project = lib.createProject('Bad');
    const before = { media: filesUnder(lib.layout.media), thumbs: filesUnder(lib.layout.thumbs), updatedAt: lib.projects.get(project.id).updatedAt };

    await expectStudioError(importPath(lib, project.id, join(src, 'gone.wav')), 'not_found', 'gone.wav was not found', /pick it again/);
    await expectStudioError(importPath(lib, project.id, src, 'folder'), 'invalid_input', 'folder is a folder, not a file');
    writeFileSync(join(src, 'empty.wav'), '');
    await expectStudioError(importPath(lib, project.id, join(src, 'empty.wav')), 'unsupported_media', 'empty.wav is empty (0 bytes)');
    await expectStudioError(
      importPath(lib, project.id, makeTextFile(join(src, 'holiday.mp4'))),
      'unsupported_media',
      'holiday.mp4 is not a media file Wan Studio can read',
      /Invalid data found/,
    );
    const truncated = makeMp4(join(src, 'truncated.mp4'), 2);
    writeFileSync(truncated, Buffer.from('not the rest of the file'), { flag: 'r+' });
    await expectStudioError(importPath(lib, project.id, truncated), 'unsupported_media', 'truncated.mp4');
    await expectStudioError(importPath(lib, 'nonexistent1', makePng(join(src, 'p.png'))), 'not_found', 'Project nonexistent1 does not exist');

    expect(lib.getProject(project.id).assets).toEqual([]);
    expect(filesUnder(lib.layout.media)).toEqual(before.media);
    expect(filesUnder(lib.layout.thumbs)).toEqual(before.thumbs);
    expect(filesUnder(lib.layout.tmp)).toEqual([]);
    expect(lib.projects.get(project.id).updatedAt).toBe(before.updatedAt);
  });

  it('an upload is moved, not copied, into the library', async () => {
    const lib = await freshLibrary('imp-upload');
    const project = lib.createProject('Uploads');
    const upload = join(lib.layout.uploads, '0123456789abcdef0123456789abcdef');
    copyFileSync(makeWav(join(makeTempDir('imp-upload-src'), 'u.wav'), 1), upload);
    const { asset } = await lib.importFile({ projectId: project.id, path: upload, displayName: 'from browser.wav', move: true });
    expect(asset.name).toBe('from browser.wav');
    expect(existsSync(upload)).toBe(false);
    expect(existsSync(join(lib.home, asset.file))).toBe(true);
  });

  it('removing an asset deletes its file only when no other project uses it', async () => {
    const lib = await freshLibrary('imp-remove');
    const src = makeTempDir('imp-remove-src');
    const wav = makeWav(join(src, 'v.wav'), 1);
    const p1 = lib.createProject('One');
    const p2 = lib.createProject('Two');
    const a1 = (await importPath(lib, p1.id, wav)).asset;
    const a2 = (await importPath(lib, p2.id, wav)).asset;
    await lib.removeAsset(a1.id);
    expect(existsSync(join(lib.home, a2.file))).toBe(true);
    await lib.removeAsset(a2.id);
    expect(existsSync(join(lib.home, a2.file))).toBe(false);
    await expectStudioError(lib.removeAsset(a2.id), 'not_found', /does not exist/);
  });
});
