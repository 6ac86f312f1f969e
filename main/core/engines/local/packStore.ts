import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StudioError } from '../../contract/errors';
import { copyHashedFiles, packFilesSize, type InstalledFiles } from './hashedCopy';
import { readAnimateManifest2, type AnimateManifest2 } from '../../../../common/pack/animateManifest2';
import { checkAnimatePack2 } from '../../../../common/pack/checkAnimatePack2';
import { checkPack2 } from '../../../../common/pack/checkPack2';
import { pack2Files, type AnyPackManifest2 } from '../../../../common/pack/pack2Files';
import { PACK_FORMAT_2, readPackManifest2, type PackManifest2 } from '../../../../common/pack/packManifest2';

export interface InstalledPack {
  id: string;
  dir: string;
  /** An S2V or an Animate format 2 manifest: `manifest.pipeline` tells which. */
  manifest: AnyPackManifest2;
  sizeBytes: number;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'pack';

/**
 * Reads and checks a pack folder: the manifest as format 2 (a format 1 pack is refused with how to
 * make a format 2 one), dispatched on its pipeline (an Animate pack without its face encoder is
 * refused by name), the pipeline's interfaces, and every graph's inputs, outputs and external
 * weight files read from its protobuf (seconds, no weights read, no GPU).
 */
export async function readManifest(dir: string): Promise<AnyPackManifest2> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (e) {
    throw new StudioError('invalid_input', `${dir} is not a model pack: its manifest.json is missing or not JSON (${(e as Error).message}).`);
  }
  const head = (typeof raw === 'object' && raw !== null ? raw : {}) as { format?: unknown; pipeline?: unknown };
  return head.format === PACK_FORMAT_2 && head.pipeline === 'animate' ? readAnimate(dir, raw) : readS2v(dir, raw);
}

async function readS2v(dir: string, raw: unknown): Promise<PackManifest2> {
  const read = readPackManifest2(raw);
  if (!read.ok) throw new StudioError('invalid_input', read.message);
  const check = await checkPack2(dir);
  if (!check.ok) throw new StudioError('invalid_input', `The model pack "${read.manifest.name}" in ${dir} does not fit its manifest: ${check.problems.join('; ')}. Export it again with tools/wan-export.`);
  return check.manifest;
}

async function readAnimate(dir: string, raw: unknown): Promise<AnimateManifest2> {
  const read = readAnimateManifest2(raw);
  if (!read.ok) throw new StudioError('invalid_input', read.message);
  const check = await checkAnimatePack2(dir);
  if (check.ok) return check.manifest;
  if (check.kind === 'no_face_encoder') throw new StudioError('invalid_input', check.problems.join('; '));
  throw new StudioError('invalid_input', `The Animate model pack "${read.manifest.name}" in ${dir} does not fit its manifest: ${check.problems.join('; ')}. Export it again with tools/wan-export (--app animate).`);
}

/**
 * Installed model packs (format 2, S2V and Animate) under <library>/packs. Import copies each file (the tokenizer,
 * every graph and every external weight file) while hashing it (one read, constant memory), or
 * hard-links it to an installed pack's file of the same hash (umT5 and the VAE are stored once),
 * refuses the pack on a missing file or a wrong hash, and only then renames the finished folder
 * into place, so a half-imported pack never appears.
 */
export class PackStore {
  constructor(private readonly root: string) {}

  async list(): Promise<InstalledPack[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const packs: InstalledPack[] = [];
    for (const id of names.filter((n) => !n.startsWith('.'))) {
      const dir = join(this.root, id);
      try {
        const manifest = await readManifest(dir);
        let size = 0;
        for (const f of pack2Files(manifest)) size += (await stat(join(dir, f.file))).size;
        packs.push({ id, dir, manifest, sizeBytes: size });
      } catch {
        // A damaged folder, or a format 1 pack from an older studio, is not offered for rendering.
      }
    }
    return packs;
  }

  async find(id: string): Promise<InstalledPack | null> {
    return (await this.list()).find((p) => p.id === id) ?? null;
  }

  async importFrom(source: string, onProgress?: (done: number, total: number) => void): Promise<InstalledPack> {
    const manifest = await readManifest(source);
    const files = pack2Files(manifest);
    const total = await packFilesSize(source, files);
    const id = `${safe(manifest.name)}-${safe(manifest.version)}`;
    const target = join(this.root, id);
    const tmp = join(this.root, `.import-${randomBytes(6).toString('hex')}`);
    let done = 0;
    try {
      await copyHashedFiles(source, tmp, files, (bytes) => onProgress?.((done += bytes), total), await this.installedFiles());
      await pipeline(createReadStream(join(source, 'manifest.json')), createWriteStream(join(tmp, 'manifest.json')));
      await rm(target, { recursive: true, force: true });
      await rename(tmp, target);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return { id, dir: target, manifest, sizeBytes: total };
  }

  /** Every installed pack's files by hash, so an identical file is linked rather than stored twice. */
  private async installedFiles(): Promise<InstalledFiles> {
    const byHash = new Map<string, string>();
    for (const p of await this.list()) for (const f of pack2Files(p.manifest)) byHash.set(f.sha256, join(p.dir, f.file));
    return byHash;
  }

  async remove(id: string): Promise<void> {
    if (safe(id) !== id) throw new StudioError('invalid_input', `"${id}" is not a pack id.`);
    await rm(join(this.root, id), { recursive: true, force: true });
  }
}
