import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
 * Wan2.2-Animate-14B layout at a tiny config, exported by tools/wan-export into a format 2 pack.
 */
let dir: string;
let pack: string;
let manifest: AnimateManifest2;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'animate-packstore-'));
  pack = join(dir, 'pack');
  runExporterOk(['tiny', '--app', 'animate', '--out', join(dir, 'ckpt')]);
  runExporterOk(['export', '--app', 'animate', '--checkpoint', join(dir, 'ckpt'), '--out', pack, '--weights', 'float32']);
  manifest = JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as AnimateManifest2;
}, 600_000);

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
    const library = join(dir, 'library');
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
