import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveServableRealFile } from '../../../main/core/library/servableFile';
import { makeTempDir } from '../../helpers/generatedMedia';

describe('library files a page may load', () => {
  it('serves real files inside the served folders, and a served folder that is itself a link', async () => {
    const home = makeTempDir('servable-home');
    mkdirSync(join(home, 'thumbs', 'ab'), { recursive: true });
    writeFileSync(join(home, 'thumbs', 'ab', 'x.jpg'), 'jpeg');
    const elsewhere = makeTempDir('servable-disk');
    writeFileSync(join(elsewhere, 'clip.wav'), 'wav');
    symlinkSync(elsewhere, join(home, 'media'));
    expect(await resolveServableRealFile(home, 'thumbs/ab/x.jpg')).toEqual({ kind: 'file', path: join(home, 'thumbs', 'ab', 'x.jpg') });
    expect(await resolveServableRealFile(home, 'media/clip.wav')).toEqual({ kind: 'file', path: join(elsewhere, 'clip.wav') });
    expect(await resolveServableRealFile(home, 'thumbs/ab/missing.jpg')).toEqual({ kind: 'missing' });
  });

  it('refuses links that lead out of their folder: to /etc/passwd, to the database, to another folder, in loops', async () => {
    const home = makeTempDir('servable-links');
    mkdirSync(join(home, 'thumbs'), { recursive: true });
    mkdirSync(join(home, 'outputs'), { recursive: true });
    writeFileSync(join(home, 'library.db'), 'db');
    mkdirSync(join(home, 'tmp', 'uploads'), { recursive: true });
    writeFileSync(join(home, 'tmp', 'uploads', 'u1'), 'upload');
    symlinkSync('/etc/passwd', join(home, 'thumbs', 'x.jpg'));
    symlinkSync(join(home, 'library.db'), join(home, 'thumbs', 'db.jpg'));
    symlinkSync('../library.db', join(home, 'outputs', 'rel.mp4'));
    symlinkSync(join(home, 'tmp'), join(home, 'outputs', 'tmpdir'));
    symlinkSync('/etc', join(home, 'outputs', 'etc'));
    symlinkSync(join(home, 'thumbs', 'loop2'), join(home, 'thumbs', 'loop1'));
    symlinkSync(join(home, 'thumbs', 'loop1'), join(home, 'thumbs', 'loop2'));
    for (const rel of ['thumbs/x.jpg', 'thumbs/db.jpg', 'outputs/rel.mp4', 'outputs/tmpdir/uploads/u1', 'outputs/etc/passwd', 'thumbs/loop1']) {
      expect(await resolveServableRealFile(home, rel), rel).toEqual({ kind: 'refused' });
    }
  });
});
