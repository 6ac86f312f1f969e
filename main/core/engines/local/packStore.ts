import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StudioError } from '../../contract/errors';
import { describeIssues } from '../../contract/validation';
import { interfaceProblems, packManifestSchema, type GraphComponent, type PackManifest } from '../../../../common/pack/packManifest';

export interface InstalledPack {
  id: string;
  dir: string;
  manifest: PackManifest;
  sizeBytes: number;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'pack';

/** Reads and checks a manifest: the schema, then the pipeline's graph interfaces. */
export async function readManifest(dir: string): Promise<PackManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (e) {
    throw new StudioError('invalid_input', `${dir} is not a model pack: its manifest.json is missing or not JSON (${(e as Error).message}).`);
  }
  const parsed = packManifestSchema.safeParse(raw);
  if (!parsed.success) throw new StudioError('invalid_input', `The model pack's manifest.json is not valid: ${describeIssues(parsed.error.issues)}. See docs/model-pack.md.`);
  const problems = interfaceProblems(parsed.data);
  if (problems.length) throw new StudioError('invalid_input', `The model pack does not fit the ${parsed.data.pipeline} pipeline: ${problems.join('; ')}.`);
  return parsed.data;
}

/**
 * Installed model packs under <library>/packs. Import copies each file while hashing it (one
 * read, constant memory), refuses the pack on a missing file or a wrong hash, and only then
 * renames the finished folder into place, so a half-imported pack never appears.
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
        for (const c of Object.values(manifest.components)) if (c && 'file' in c) size += (await stat(join(dir, c.file))).size;
        packs.push({ id, dir, manifest, sizeBytes: size });
      } catch {
        // A damaged folder is not offered for rendering.
      }
    }
    return packs;
  }

  async find(id: string): Promise<InstalledPack | null> {
    return (await this.list()).find((p) => p.id === id) ?? null;
  }

  async importFrom(source: string, onProgress?: (done: number, total: number) => void): Promise<InstalledPack> {
    const manifest = await readManifest(source);
    const components = Object.entries(manifest.components).filter((e): e is [string, GraphComponent] => !!e[1] && 'file' in e[1]);
    let total = 0;
    for (const [name, c] of components) {
      try {
        total += (await stat(join(source, c.file))).size;
      } catch {
        throw new StudioError('not_found', `The model pack is missing ${c.file} (its ${name}). Copy the whole pack folder and import again.`);
      }
    }
    const id = `${safe(manifest.name)}-${safe(manifest.version)}`;
    const target = join(this.root, id);
    const tmp = join(this.root, `.import-${randomBytes(6).toString('hex')}`);
    let done = 0;
    try {
      for (const [name, c] of components) {
        const dest = join(tmp, c.file);
        await mkdir(dirname(dest), { recursive: true });
        const hash = createHash('sha256');
        await pipeline(
          createReadStream(join(source, c.file)),
          new Transform({
            transform(chunk: Buffer, _e, cb) {
              hash.update(chunk);
              done += chunk.length;
              onProgress?.(done, total);
              cb(null, chunk);
            },
          }),
          createWriteStream(dest),
        );
        const got = hash.digest('hex');
        if (got !== c.sha256) throw new StudioError('invalid_input', `The model pack's ${name} (${c.file}) is damaged: its SHA-256 is ${got}, the manifest says ${c.sha256}. Download or copy it again.`);
      }
      await pipeline(createReadStream(join(source, 'manifest.json')), createWriteStream(join(tmp, 'manifest.json')));
      await rm(target, { recursive: true, force: true });
      await rename(tmp, target);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return { id, dir: target, manifest, sizeBytes: total };
  }

  async remove(id: string): Promise<void> {
    if (safe(id) !== id) throw new StudioError('invalid_input', `"${id}" is not a pack id.`);
    await rm(join(this.root, id), { recursive: true, force: true });
  }
}
