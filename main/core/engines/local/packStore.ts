import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StudioError } from '../../contract/errors';
import { copyHashedFiles, packFilesSize } from './hashedCopy';
import { checkPack2 } from '../../../../common/pack/checkPack2';
import { PACK_FORMAT_2 } from '../../../../common/pack/packManifest2';
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
  if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === PACK_FORMAT_2) throw await format2NotRunnable(dir);
  const parsed = packManifestSchema.safeParse(raw);
  if (!parsed.success) throw new StudioError('invalid_input', `The model pack's manifest.json is not valid: ${describeIssues(parsed.error.issues)}. See docs/model-pack.md.`);
  const problems = interfaceProblems(parsed.data);
  if (problems.length) throw new StudioError('invalid_input', `The model pack does not fit the ${parsed.data.pipeline} pipeline: ${problems.join('; ')}.`);
  return parsed.data;
}

/**
 * Format 2 packs (the real Wan 2.2 model, tools/wan-export) are checked, graphs against the
 * manifest by reading their protobuf only, so a user learns whether their export is sound, then
 * refused explicitly: the local pipeline does not run them yet (issue 11, section 3).
 */
async function format2NotRunnable(dir: string): Promise<StudioError> {
  const check = await checkPack2(dir);
  if (!check.ok) return new StudioError('invalid_input', `The "${PACK_FORMAT_2}" model pack in ${dir} does not fit its manifest: ${check.problems.join('; ')}. Export it again with tools/wan-export.`);
  return new StudioError(
    'invalid_input',
    `The "${PACK_FORMAT_2}" model pack "${check.manifest.name}" is sound (its graphs match the manifest), but this studio's local renderer does not run format 2 packs yet; nothing was installed. Render with the cloud engine meanwhile.`,
  );
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
    const files = Object.entries(manifest.components)
      .filter((e): e is [string, GraphComponent] => !!e[1] && 'file' in e[1])
      .map(([name, c]) => ({ file: c.file, sha256: c.sha256, label: name }));
    const total = await packFilesSize(source, files);
    const id = `${safe(manifest.name)}-${safe(manifest.version)}`;
    const target = join(this.root, id);
    const tmp = join(this.root, `.import-${randomBytes(6).toString('hex')}`);
    let done = 0;
    try {
      await copyHashedFiles(source, tmp, files, (bytes) => onProgress?.((done += bytes), total));
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
