import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePng, makeTempDir, makeTextFile, makeWav } from '../../helpers/generatedMedia';
import { runCliProcess, startServe } from '../../helpers/studioProcess';

describe('wan-studio command line', () => {
  it('prints help, and exits 2 on a usage mistake', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve\s+run the studio headless/);
    expect(help.stdout).toMatch(/projects\s+list, create, export \(.wanproj\) or import projects/);
    expect(help.stdout).toMatch(/import\s+import media files/);
    expect((await runCliProcess([])).code).toBe(2);
    const unknown = await runCliProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badApp = await runCliProcess(['projects', 'create', 'x', '--app', 'wan', '--home', makeTempDir('cli-usage')]);
    expect(badApp.code).toBe(2);
    expect(badApp.stderr).toContain('--app must be s2v or animate, not "wan"');
    const badPort = await runCliProcess(['serve', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a whole number from 0 to 65535, not "eighty"');
  });

  it('creates and lists projects in the library chosen by --home or WAN_STUDIO_HOME', async () => {
    const home = makeTempDir('cli-home');
    const created = await runCliProcess(['projects', 'create', 'Singing portrait', '--app', 'animate', '--home', home]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created project [A-Za-z0-9_-]{16} {2}Singing portrait$/m);
    const listed = await runCliProcess(['projects', 'list', '--json'], { WAN_STUDIO_HOME: home });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'Singing portrait', app: 'animate', assetCount: 0 })]);
    const empty = await runCliProcess(['projects', 'create', '  ', '--home', home]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('name: must not be empty');
  });

  it('imports files by project name; a bad file is reported and the others still import', async () => {
    const home = makeTempDir('cli-import');
    const src = makeTempDir('cli-import-src');
    await runCliProcess(['projects', 'create', 'Talk', '--home', home]);
    const png = makePng(join(src, 'face with spaces.png'));
    const wav = makeWav(join(src, 'voice.wav'), 1, 16000);
    const bad = makeTextFile(join(src, 'notes.mp4'));
    const r = await runCliProcess(['import', 'Talk', png, bad, wav, '--home', home]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Imported: face with spaces\.png {2}\(image, png, 320×240, .*\) {2}id [A-Za-z0-9_-]{16}/);
    expect(r.stdout).toMatch(/Imported: voice\.wav {2}\(audio, wav, 0:01\.00, pcm_s16le, 16000 Hz, mono, .*\)/);
    expect(r.stderr).toContain('notes.mp4 is not a media file Wan Studio can read');
    const again = await runCliProcess(['import', 'Talk', wav, '--home', home]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already in project: voice.wav');
    const list = JSON.parse((await runCliProcess(['projects', 'list', '--json', '--home', home])).stdout) as Array<{ assetCount: number }>;
    expect(list[0]?.assetCount).toBe(2);
    const missing = await runCliProcess(['import', 'No such project', png, '--home', home]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No project has the id or name "No such project". List them with: wan-studio projects list');
  });

  it('exports a project to a .wanproj file and imports it into another library', async () => {
    const home = makeTempDir('cli-archive-a');
    const other = makeTempDir('cli-archive-b');
    const src = makeTempDir('cli-archive-src');
    await runCliProcess(['projects', 'create', 'Duet', '--home', home]);
    await runCliProcess(['import', 'Duet', makePng(join(src, 'face.png')), makeWav(join(src, 'voice.wav'), 1, 16000), '--home', home]);
    const out = join(src, 'duet');
    const exported = await runCliProcess(['projects', 'export', 'Duet', '--out', out, '--home', home]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`^Exported project Duet to ${out}\\.wanproj \\(.+\\)$`, 'm'));
    await runCliProcess(['projects', 'create', 'Duet', '--home', other]);
    const imported = await runCliProcess(['projects', 'import', `${out}.wanproj`, '--home', other]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Imported project [A-Za-z0-9_-]{16} {2}Duet \(2\) \(the library already had a project named Duet\): 2 media, 0 outputs, 0 new presets$/m);
    const listed = JSON.parse((await runCliProcess(['projects', 'list', '--json', '--home', other])).stdout) as Array<{ name: string; assetCount: number }>;
    expect(listed.map((p) => [p.name, p.assetCount])).toEqual([['Duet (2)', 2], ['Duet', 0]]);
    const bad = await runCliProcess(['projects', 'import', join(src, 'voice.wav'), '--home', other]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('wan-studio: voice.wav cannot be imported: it is not a ZIP archive. Pick a .wanproj file made with Export project.');
    const noOut = await runCliProcess(['projects', 'export', 'Duet', '--home', home]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('Say where the archive goes: --out FILE.wanproj');
  });

  it('serve prints a working URL and stops cleanly on SIGTERM', async () => {
    const handle = await startServe(makeTempDir('cli-serve'));
    expect(handle.output()).toContain('Wan Studio is running');
    const res = await fetch(handle.url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect((await fetch(`${handle.origin}/`, { headers: { Authorization: `Bearer ${handle.token}` } })).status).toBe(200);
    expect(await handle.stop()).toBe(0);
  });
});

describe('wan-studio media', () => {
  it('probes, trims and exports files with the studio code', async () => {
    const dir = makeTempDir('cli-media');
    const { fixtures } = await import('../../helpers/mediaFixtures');
    const src = fixtures.videoWithAudio();
    const probe = await runCliProcess(['media', 'probe', src, '--json']);
    expect(probe.code).toBe(0);
    expect(JSON.parse(probe.stdout)).toMatchObject({ kind: 'video', video: { width: 320, height: 240 }, audio: { sampleRate: 44100 } });

    const trim = await runCliProcess(['media', 'trim', src, '--in', '0.5', '--out', '1.5', '--video-out', join(dir, 'cut.mp4'), '--size', '160x120', '--fps', '16']);
    expect(trim.code).toBe(0);
    expect(trim.stdout).toContain('cut.mp4: 16 frames at 16 fps, 160x120, 1.000 s');
    expect(trim.stderr).toMatch(/trim: 100%/);

    const audio = await runCliProcess(['media', 'trim', src, '--in', '0.25', '--audio-out', join(dir, 'm.wav'), join(dir, 'x.wav')]);
    expect(audio.stdout).toMatch(/m\.wav \(16 kHz mono\) and .*x\.wav: 1\.750 s/);

    const exported = await runCliProcess(['media', 'export', join(dir, 'cut.mp4'), '-o', join(dir, 'out.mov'), '--format', 'prores', '--audio', join(dir, 'x.wav')]);
    expect(exported.code).toBe(0);
    const out = JSON.parse((await runCliProcess(['media', 'probe', join(dir, 'out.mov'), '--json'])).stdout) as { video: { codec: string }; audio: { codec: string } };
    expect(out).toMatchObject({ video: { codec: 'prores' }, audio: { codec: 'pcm_s16le' } });

    const bad = await runCliProcess(['media', 'export', src, '-o', join(dir, 'x.avi'), '--format', 'avi']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('format: must be one of h264, h265, prores, vp9, gif');
    const notMedia = await runCliProcess(['media', 'probe', join(dir, 'missing.mp4')]);
    expect(notMedia.code).toBe(1);
    expect(notMedia.stderr).toContain('is not a media file Wan Studio can read');
  });
});
