import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack2Files } from '../../../common/pack/pack2Files';
import { FORMAT_1_REFUSAL, PACK_FORMAT_1, type PackManifest2 } from '../../../common/pack/packManifest2';
import { copyHashedFiles, packFilesSize } from '../../../main/core/engines/local/hashedCopy';
import { PackStore } from '../../../main/core/engines/local/packStore';
import { pack2Manifest, writePack2 } from '../../helpers/pack2Fixture';

let dir: string;
let manifest: PackManifest2;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A format 2 pack folder on disk whose tokenizer, graphs and weight files are real and hashed. */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pack2copy-'));
  manifest = pack2Manifest();
  await writePack2(join(dir, 'src'), manifest);
  await writeFile(join(dir, 'src', manifest.tokenizer.file), '{"model":{"type":"Unigram"}}');
  for (const f of pack2Files(manifest)) {
    const path = join(dir, 'src', f.file);
    if (f.label.includes('weights')) await writeFile(path, Buffer.alloc(3 * 1024 * 1024 + 17, f.file.length));
  }
  // Put the real hashes into the manifest the files are listed from.
  manifest.tokenizer.sha256 = sha(await readFile(join(dir, 'src', manifest.tokenizer.file)));
  for (const c of Object.values(manifest.components)) {
    c.sha256 = sha(await readFile(join(dir, 'src', c.file)));
    for (const e of c.externalData) e.sha256 = sha(await readFile(join(dir, 'src', e.file)));
  }
  await writeFile(join(dir, 'src', 'manifest.json'), JSON.stringify(manifest));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('format 2 pack import copies and hashes every file while streaming', () => {
  it('lists the tokenizer, every graph and every external weight file once', () => {
    const files = pack2Files(manifest);
    const external = Object.values(manifest.components).reduce((n, c) => n + c.externalData.length, 0);
    expect(external).toBeGreaterThan(0);
    expect(files.length).toBe(1 + 7 + external);
    expect(new Set(files.map((f) => f.file)).size).toBe(files.length);
    expect(files[0]).toMatchObject({ label: 'tokenizer', file: manifest.tokenizer.file });
  });

  it('copies every file byte for byte, reporting every byte', async () => {
    const files = pack2Files(manifest);
    const total = await packFilesSize(join(dir, 'src'), files);
    let seen = 0;
    await copyHashedFiles(join(dir, 'src'), join(dir, 'copy'), files, (b) => (seen += b));
    expect(seen).toBe(total);
    for (const f of files) expect(sha(await readFile(join(dir, 'copy', f.file)))).toBe(f.sha256);
  });

  it('refuses a damaged weight file naming its component and file', async () => {
    const files = pack2Files(manifest);
    const weights = files.find((f) => f.label.startsWith('dit_rest weights'))!;
    const damaged = files.map((f) => (f === weights ? { ...f, sha256: '0'.repeat(64) } : f));
    await expect(copyHashedFiles(join(dir, 'src'), join(dir, 'bad'), damaged)).rejects.toThrow(
      new RegExp(`The model pack's dit_rest weights \\(1 of \\d+\\) \\(${weights.file.replace(/[.]/g, '\\.')}\\) is damaged: its SHA-256 is ${weights.sha256}`),
    );
  });

  it('refuses a pack with a missing file before copying anything', async () => {
    const files = [...pack2Files(manifest), { file: 'weights/missing.bin', sha256: '0'.repeat(64), label: 'dit_head weights (2 of 2)' }];
    await expect(packFilesSize(join(dir, 'src'), files)).rejects.toThrow('The model pack is missing weights/missing.bin (its dit_head weights (2 of 2)). Copy the whole pack folder and import again.');
  });
});

describe('the pack store installs format 2 packs and refuses format 1', () => {
  it('checks the graphs by their protobuf, installs every file and lists the pack with its size', async () => {
    const store = new PackStore(join(dir, 'library'));
    const installed = await store.importFrom(join(dir, 'src'));
    const files = pack2Files(manifest);
    expect(installed.manifest.format).toBe('wan-studio-pack/2');
    expect(installed.sizeBytes).toBe(await packFilesSize(join(dir, 'src'), files));
    const listed = await store.list();
    expect(listed.map((p) => p.id)).toEqual([installed.id]);
    expect(listed[0]!.sizeBytes).toBe(installed.sizeBytes);
    for (const f of files) expect(sha(await readFile(join(installed.dir, f.file)))).toBe(f.sha256);
    await store.remove(installed.id);
  });

  it('refuses a format 1 pack, saying how to make a format 2 pack, and installs nothing', async () => {
    const old = join(dir, 'format1');
    // The first fixture format: one graph per component, no tokenizer kind, no DiT geometry.
    await mkdir(old, { recursive: true });
    await writeFile(join(old, 'manifest.json'), JSON.stringify({ format: PACK_FORMAT_1, name: 'wan2.2-animate-14b', version: 'fixture-1', pipeline: 'animate', components: { dit: { file: 'dit.onnx', sha256: '0'.repeat(64), dtype: 'float32', inputs: [], outputs: [] } } }));
    await writeFile(join(old, 'dit.onnx'), 'not read');
    const store = new PackStore(join(dir, 'library-old'));
    await expect(store.importFrom(old)).rejects.toThrow(FORMAT_1_REFUSAL);
    expect(FORMAT_1_REFUSAL).toMatch(/python3 -m wan_export export --checkpoint DIR --out PACK/);
    expect(await readdir(join(dir, 'library-old')).catch(() => [])).toEqual([]);
  });

  it('a format 2 pack whose graph disagrees with its manifest is told what differs', async () => {
    const wrong = structuredClone(manifest);
    wrong.components.dit_head.outputs[0]!.name = 'flow';
    await writeFile(join(dir, 'src', 'manifest.json'), JSON.stringify(wrong));
    try {
      await expect(new PackStore(join(dir, 'library')).importFrom(join(dir, 'src'))).rejects.toThrow(/does not fit its manifest: .*dit_head: the graph has no output "flow"/);
    } finally {
      await writeFile(join(dir, 'src', 'manifest.json'), JSON.stringify(manifest));
    }
  });
});
