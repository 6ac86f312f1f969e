import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, InputOf, OutputOf } from '../../../main/core/contract/index';
import { StudioError } from '../../../main/core/contract/errors';
import { ZipFileWriter } from '../../../main/core/archive/zipWriter';
import { silentLogger } from '../../../main/core/logger';
import { planRender } from '../../../main/core/render/renderPlan';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makeMp4, makeTempDir } from '../../helpers/generatedMedia';
import { realMedia, realPortrait } from '../../helpers/realMedia';
import { execFileSync } from 'node:child_process';

const cores: StudioCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.dispose();
});

async function open(home: string): Promise<StudioCore> {
  const core = await createStudioCore({ home, log: silentLogger });
  cores.push(core);
  return core;
}

async function call<C extends Channel>(core: StudioCore, channel: C, input: InputOf<C>, transport: 'ipc' | 'ws' | 'cli' = 'ipc'): Promise<OutputOf<C>> {
  const r = await core.dispatch(channel, input, { transport });
  if (!r.ok) throw StudioError.fromPayload(r.error);
  return r.value as OutputOf<C>;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Everything under a library's media, outputs and tmp folders: what a failed import must not change. */
function libraryFiles(home: string): string[] {
  const walk = (dir: string): string[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names.flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  };
  return ['media', 'thumbs', 'cache', 'outputs', 'tmp'].flatMap((f) => walk(join(home, f))).sort();
}

/** A talking-portrait project with real media, trims, parameters, a preset and one output. */
async function makeSourceProject(core: StudioCore) {
  const src = makeTempDir('archive-src');
  const voice = join(src, 'megamind voice.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', realMedia('Megamind.avi'), '-vn', '-ac', '1', '-ar', '22050', voice]);
  const project = await call(core, 'library.createProject', { name: 'Talking Megamind', app: 's2v' });
  const image = (await call(core, 'media.import', { projectId: project.id, source: { kind: 'path', path: realPortrait() } })).asset;
  const audio = (await call(core, 'media.import', { projectId: project.id, source: { kind: 'path', path: voice } })).asset;
  await call(core, 'library.updateProjectState', {
    id: project.id,
    patch: {
      s2v: { imageAssetId: image.id, audioAssetId: audio.id, audioTrim: { inSec: 0.5, outSec: 2.75 }, params: { prompt: 'a blue alien talking, studio light', seed: 1234, resolution: '480p' } },
      engine: 'cloud',
    },
  });
  await call(core, 'presets.save', { app: 's2v', name: 'Warm', params: { resolution: '720p' } });
  const lib = core.library;
  const outDir = join(lib.layout.outputs, project.id);
  mkdirSync(outDir, { recursive: true });
  const video = makeMp4(join(outDir, 'render-1.mp4'), 1);
  lib.outputs.create({ projectId: project.id, jobId: null, file: `outputs/${project.id}/render-1.mp4`, poster: null, settings: { prompt: 'a blue alien talking', seed: 1234 }, seed: 1234 });
  return { project, image, audio, video };
}

describe('project archives (.wanproj)', () => {
  it('round-trips a project into another library: same media, trims, parameters, job parameters, presets and outputs', async () => {
    const a = await open(makeTempDir('archive-a'));
    const { project, video } = await makeSourceProject(a);
    const archive = await call(a, 'library.exportProject', { projectId: project.id });
    expect(archive.downloadName).toBe('talking-megamind.wanproj');
    expect(archive.file).toBe(`outputs/${project.id}/archives/talking-megamind.wanproj`);
    const archivePath = join(a.library.home, archive.file);
    expect(statSync(archivePath).size).toBe(archive.sizeBytes);

    const b = await open(makeTempDir('archive-b'));
    await call(b, 'library.createProject', { name: 'Talking Megamind', app: 's2v' });
    await call(b, 'presets.save', { app: 's2v', name: 'Warm', params: { resolution: '480p' } });
    const imported = await call(b, 'library.importProject', { source: { kind: 'path', path: archivePath } });
    expect(imported.project.name).toBe('Talking Megamind (2)');
    expect(imported.renamedFrom).toBe('Talking Megamind');
    expect(imported.outputs).toBe(1);
    expect(imported.presetsAdded).toBe(1);

    const before = a.library.getProject(project.id);
    const after = b.library.getProject(imported.project.id);
    expect(after.assets.map((x) => [x.name, x.sha256])).toEqual(before.assets.map((x) => [x.name, x.sha256]));
    for (const asset of after.assets) expect(sha(join(b.library.home, asset.file))).toBe(asset.sha256);
    expect(after.state.s2v.audioTrim).toEqual({ inSec: 0.5, outSec: 2.75 });
    expect(after.state.engine).toBe('cloud');
    const byId = (d: typeof before, id: string | null | undefined) => d.assets.find((x) => x.id === id)?.sha256;
    expect(byId(after, after.state.s2v.imageAssetId)).toBe(byId(before, before.state.s2v.imageAssetId));
    expect(byId(after, after.state.s2v.audioAssetId)).toBe(byId(before, before.state.s2v.audioAssetId));

    // The imported project renders the same job: parameters, seed and trimmed inputs.
    const planA = planRender(a.library, project.id, 's2v');
    const planB = planRender(b.library, imported.project.id, 's2v');
    expect(planB.params).toEqual(planA.params);
    expect(planB.seed).toBe(1234);
    expect(planB.inputs.trim).toEqual(planA.inputs.trim);
    expect(byId(after, planB.inputs.audioAssetId)).toBe(byId(before, planA.inputs.audioAssetId));

    const outputs = await call(b, 'render.listOutputs', { projectId: imported.project.id });
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.seed).toBe(1234);
    expect(sha(join(b.library.home, outputs[0]?.file ?? ''))).toBe(sha(video));
    const presets = await call(b, 'presets.list', { app: 's2v' });
    expect(presets.filter((p) => !p.builtin).map((p) => [p.name, p.params])).toEqual([
      ['Warm', { resolution: '480p' }],
      ['Warm (imported)', { resolution: '720p' }],
    ]);

    // Importing the same archive again adds a third project and no duplicate preset.
    const again = await call(b, 'library.importProject', { source: { kind: 'path', path: archivePath } });
    expect(again.project.name).toBe('Talking Megamind (3)');
    expect(again.presetsAdded).toBe(0);

    // Leaving the outputs out.
    const lean = await call(a, 'library.exportProject', { projectId: project.id, outputIds: [] });
    expect(lean.sizeBytes).toBeLessThan(archive.sizeBytes);

    // The start-up sweep keeps the exported archive (it has no row, but its project exists).
    const home = a.library.home;
    await a.dispose();
    cores.splice(cores.indexOf(a), 1);
    await open(home);
    expect(statSync(archivePath).size).toBe(lean.sizeBytes);
  });

  it('refuses a cut-short, unsafe or foreign archive with a clear message and leaves the library as it was', async () => {
    const a = await open(makeTempDir('archive-bad-a'));
    const { project } = await makeSourceProject(a);
    const good = join(a.library.home, (await call(a, 'library.exportProject', { projectId: project.id })).file);
    const work = makeTempDir('archive-bad');

    const b = await open(makeTempDir('archive-bad-b'));
    await call(b, 'library.createProject', { name: 'Existing', app: 's2v' });
    const projectsBefore = (await call(b, 'library.listProjects', {})).map((p) => p.name);
    const filesBefore = libraryFiles(b.library.home);
    const refusal = async (path: string) => {
      const e = await call(b, 'library.importProject', { source: { kind: 'path', path } }).catch((x: unknown) => x as StudioError);
      expect(e).toBeInstanceOf(StudioError);
      expect((await call(b, 'library.listProjects', {})).map((p) => p.name)).toEqual(projectsBefore);
      expect(libraryFiles(b.library.home)).toEqual(filesBefore);
      return (e as StudioError).message;
    };

    const cut = join(work, 'cut.wanproj');
    copyFileSync(good, cut);
    truncateSync(cut, Math.floor(statSync(good).size / 2));
    expect(await refusal(cut)).toMatch(/^cut\.wanproj cannot be imported: its end is missing \(the file was cut short.*Export the project again and copy the whole file/);

    // The file list is intact but a media file's bytes are damaged.
    const flipped = join(work, 'flipped.wanproj');
    const bytes = readFileSync(good);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    writeFileSync(flipped, bytes);
    expect(await refusal(flipped)).toMatch(/flipped\.wanproj cannot be imported: .* is damaged \(its checksum does not match\)/);

    const slip = join(work, 'slip.wanproj');
    const w = await ZipFileWriter.create(slip);
    await w.addBuffer('manifest.json', Buffer.from('{}'));
    await w.addBuffer('../../evil.txt', Buffer.from('owned'));
    await w.finish();
    expect(await refusal(slip)).toMatch(/slip\.wanproj cannot be imported: it contains a file named "\.\.\/\.\.\/evil\.txt" that would land outside.*Nothing was imported/);

    const foreign = join(work, 'notes.wanproj');
    writeFileSync(foreign, 'just some text, not an archive at all');
    expect(await refusal(foreign)).toContain('notes.wanproj cannot be imported: it is not a ZIP archive. Pick a .wanproj file made with Export project.');

    const noManifest = join(work, 'photos.wanproj');
    const w2 = await ZipFileWriter.create(noManifest);
    await w2.addBuffer('photo.jpg', Buffer.from('jpeg'));
    await w2.finish();
    expect(await refusal(noManifest)).toContain('photos.wanproj is not a Wan Studio project archive (it has no manifest.json)');

    // A browser page may not name files on the studio's disk.
    const viaPage = await call(b, 'library.importProject', { source: { kind: 'path', path: good } }, 'ws').catch((x: unknown) => x as StudioError);
    expect((viaPage as StudioError).code).toBe('forbidden');
  });
});
