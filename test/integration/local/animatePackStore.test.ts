import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_ENCODER_MISSING, type AnimateManifest2 } from '../../../common/pack/animateManifest2';
import { pack2Files } from '../../../common/pack/pack2Files';
import { packFilesSize } from '../../../main/core/engines/local/hashedCopy';
import { PackStore } from '../../../main/core/engines/local/packStore';
import { exporterPython, runExporterOk } from '../../helpers/wanExport';

/**
 * The studio installs a real exported Animate pack: a random-weight checkpoint in the official
 * Wan2.2-Animate-14B layout at a tiny config, exported by tools/wan-export into a format 2 pack
 * (and, for the files both share, a tiny S2V pack exported the same way).
 */
let dir: string;
let pack: string;
let s2vPack: string;
let manifest: AnimateManifest2;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'animate-packstore-'));
  pack = join(dir, 'pack');
  runExporterOk(['tiny', '--app', 'animate', '--out', join(dir, 'ckpt')]);
  runExporterOk(['export', '--app', 'animate', '--checkpoint', join(dir, 'ckpt'), '--out', pack, '--weights', 'float32']);
  manifest = JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as AnimateManifest2;
  // The tiny S2V checkpoint of the same seed: its umT5, VAE and tokenizer are the Animate one's.
  s2vPack = join(dir, 's2v-pack');
  runExporterOk(['tiny', '--out', join(dir, 's2v-ckpt')]);
  runExporterOk(['export', '--checkpoint', join(dir, 's2v-ckpt'), '--out', s2vPack, '--weights', 'float32']);
}, 900_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A copy of the exported pack, changed by `change`, for the refusals. */
async function variant(name: string, change: (folder: string, m: AnimateManifest2) => Promise<void>): Promise<string> {
  const folder = join(dir, name);
  await cp(pack, folder, { recursive: true });
  const m = structuredClone(manifest);
  await change(folder, m);
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(m));
  return folder;
}

/** What the library folder holds, file by file with hashes: a failed import must leave it exactly so. */
async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) out.push(`${join(entry.parentPath, entry.name)} ${sha(await readFile(join(entry.parentPath, entry.name)))}`);
    else out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

describe('the pack store installs an exported Animate pack', () => {
  it('imports it (every file copied and hashed) and lists it as an Animate pack with its size', async () => {
    const store = new PackStore(join(dir, 'library'));
    const installed = await store.importFrom(pack);
    expect(installed.id).toBe('wan2.2-animate-14b-2025.09-fp32');
    expect(installed.manifest.pipeline).toBe('animate');
    const files = pack2Files(installed.manifest);
    expect(files.map((f) => f.label)).toEqual([
      'tokenizer',
      ...['text_encoder', 'vae_encoder', 'vae_decoder', 'clip_encoder', 'face_motion', 'face_encoder', 'dit'].flatMap((n) => [`${n} graph`, `${n} weights (1 of 1)`]),
    ]);
    expect(installed.sizeBytes).toBe(await packFilesSize(pack, files));
    for (const f of files) expect(sha(await readFile(join(installed.dir, f.file))), f.file).toBe(f.sha256);
    const listed = await store.list();
    expect(listed.map((p) => [p.id, p.manifest.pipeline, p.sizeBytes])).toEqual([[installed.id, 'animate', installed.sizeBytes]]);
    expect(listed[0]!.manifest).toEqual(manifest);
  });

  it('refuses a pack without its face encoder by name, and the library stays as it was', async () => {
    const noFace = await variant('no-face', async (_f, m) => {
      const components = m.components as Partial<AnimateManifest2['components']>;
      delete components.face_motion;
      delete components.face_encoder;
    });
    const library = join(dir, 'library');
    const before = await snapshot(library);
    expect(before.length).toBeGreaterThan(0);
    await expect(new PackStore(library).importFrom(noFace)).rejects.toThrow(FACE_ENCODER_MISSING);
    expect(await snapshot(library)).toEqual(before);
  });

  it("refuses a pack whose face encoder's weight file is absent, naming the file", async () => {
    const absent = await variant('face-file-absent', (f) => rm(join(f, 'face_encoder.weights')));
    const library = join(dir, 'library');
    const before = await snapshot(library);
    await expect(new PackStore(library).importFrom(absent)).rejects.toThrow(`The face encoder's face_encoder.weights is not in the pack folder ${absent}.`);
    expect(await snapshot(library)).toEqual(before);
  });

  it('refuses a damaged DiT weight file while copying, and the library stays as it was', async () => {
    const damaged = await variant('damaged', async (f) => {
      const weights = await readFile(join(f, 'dit.weights'));
      const last = weights.length - 1;
      weights.writeUInt8(weights.readUInt8(last) ^ 0xff, last);
      await writeFile(join(f, 'dit.weights'), weights);
    });
    // A library holding the S2V pack: the Animate DiT's weights are copied (an installed file of the same hash would be linked instead).
    const library = join(dir, 'library-damaged');
    await new PackStore(library).importFrom(s2vPack);
    const before = await snapshot(library);
    await expect(new PackStore(library).importFrom(damaged)).rejects.toThrow(/The model pack's dit weights \(1 of 1\) \(dit\.weights\) is damaged/);
    expect(await snapshot(library)).toEqual(before);
  });

  it('a graph that disagrees with the Animate manifest is told what differs', async () => {
    const wrong = await variant('wrong-io', async (_f, m) => {
      m.components.face_encoder.outputs[0]!.name = 'tokens';
    });
    await expect(new PackStore(join(dir, 'library-wrong')).importFrom(wrong)).rejects.toThrow(
      /The Animate model pack "wan2\.2-animate-14b" in .* does not fit its manifest: .*face_encoder/,
    );
    expect(await readdir(join(dir, 'library-wrong')).catch(() => [])).toEqual([]);
  });
});

describe('components identical to an installed S2V pack are stored once', () => {
  const shared = ['tokenizer.json', 'text_encoder.onnx', 'text_encoder.weights', 'vae_encoder.onnx', 'vae_encoder.weights', 'vae_decoder.onnx', 'vae_decoder.weights'];

  it('hard-links umT5, the VAE and the tokenizer to the S2V pack, and removing either pack leaves the other whole', async () => {
    const store = new PackStore(join(dir, 'library-shared'));
    const s2v = await store.importFrom(s2vPack);
    const progress: [number, number][] = [];
    const animate = await store.importFrom(pack, (done, total) => progress.push([done, total]));
    expect(progress.at(-1)).toEqual([animate.sizeBytes, animate.sizeBytes]);
    for (const f of shared) {
      const [a, b] = await Promise.all([stat(join(s2v.dir, f)), stat(join(animate.dir, f))]);
      expect(b.ino, `${f} is stored once`).toBe(a.ino);
      expect(b.nlink, f).toBe(2);
    }
    for (const f of ['dit.weights', 'clip_encoder.weights', 'face_encoder.weights']) expect((await stat(join(animate.dir, f))).nlink, f).toBe(1);

    await store.remove(s2v.id);
    expect((await store.list()).map((p) => p.id)).toEqual([animate.id]);
    for (const f of pack2Files(animate.manifest)) expect(sha(await readFile(join(animate.dir, f.file))), f.file).toBe(f.sha256);
    for (const f of shared) expect((await stat(join(animate.dir, f))).nlink, f).toBe(1);

    const again = await store.importFrom(s2vPack);
    for (const f of shared) expect((await stat(join(again.dir, f))).ino, f).toBe((await stat(join(animate.dir, f))).ino);
    await store.remove(animate.id);
    expect((await store.list()).map((p) => p.id)).toEqual([again.id]);
    for (const f of pack2Files(again.manifest)) expect(sha(await readFile(join(again.dir, f.file))), f.file).toBe(f.sha256);
  });
});
