import { randomBytes } from 'node:crypto';
import { stat, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ZipFileWriter } from '../archive/zipWriter';
import { StudioError } from '../contract/errors';
import { PARAMS_VERSION } from '../contract/params/index';
import { assertRoomFor } from '../library/freeSpace';
import { fsFailure } from '../library/fsErrors';
import type { Library } from '../library/library';
import type { OutputRecord } from '../library/outputRepository';
import { resolveInsideLibrary } from '../library/paths';
import { PresetRepository } from '../library/presetRepository';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, MANIFEST_NAME, type ProjectManifest } from './manifest';

export interface ExportRequest {
  projectId: string;
  /** The outputs to take along; undefined takes them all. */
  outputIds?: string[];
  /** Where the archive goes; written under a temp name beside it and renamed when complete. */
  target: string;
  signal?: AbortSignal;
}

interface PlannedFile {
  entry: string;
  source: string;
}

/** A short extension from a library file, for the name inside the archive. */
const extOf = (file: string): string => {
  const ext = extname(file).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin';
};

function chosenOutputs(library: Library, projectId: string, outputIds: string[] | undefined): OutputRecord[] {
  const all = library.outputs.listByProject(projectId);
  if (!outputIds) return all;
  for (const id of outputIds) {
    if (!all.some((o) => o.id === id)) throw new StudioError('not_found', `Output ${id} is not in this project. Reload the outputs and choose again.`);
  }
  return all.filter((o) => outputIds.includes(o.id));
}

/** The manifest and the list of files to stream in, from the library's rows. */
export function planArchive(library: Library, projectId: string, outputIds?: string[]): { manifest: ProjectManifest; files: PlannedFile[] } {
  const { project, assets, state } = library.getProject(projectId);
  const files: PlannedFile[] = [];
  const source = (rel: string, what: string): string => {
    const full = resolveInsideLibrary(library.home, rel);
    if (!full) throw new StudioError('not_found', `${what} of project “${project.name}” is missing from the library. Remove it from the project and export again.`);
    return full;
  };
  const manifestAssets = assets.map((a) => {
    const entry = `media/${a.sha256}${extOf(a.file)}`;
    files.push({ entry, source: source(a.file, a.name) });
    return { id: a.id, name: a.name, sha256: a.sha256, sizeBytes: a.sizeBytes, file: entry };
  });
  const manifestOutputs = chosenOutputs(library, projectId, outputIds).map((o, i) => {
    const entry = `outputs/${i + 1}${extOf(o.file)}`;
    files.push({ entry, source: source(o.file, `Output ${i + 1}`) });
    const poster = o.poster ? `outputs/${i + 1}-poster${extOf(o.poster)}` : null;
    if (o.poster && poster) files.push({ entry: poster, source: source(o.poster, `The poster of output ${i + 1}`) });
    const settings = typeof o.settings === 'object' && o.settings !== null ? (o.settings as Record<string, unknown>) : {};
    return { file: entry, poster, settings, seed: o.seed, createdAt: o.createdAt };
  });
  const presets = new PresetRepository(library.db, PARAMS_VERSION)
    .list(project.app)
    .filter((p) => !p.builtin)
    .map((p) => ({ app: p.app, name: p.name, params: p.params }));
  const manifest: ProjectManifest = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: Date.now(),
    project: { name: project.name, app: project.app },
    state,
    assets: manifestAssets,
    outputs: manifestOutputs,
    presets,
  };
  return { manifest, files };
}

/**
 * Writes one project (media, editor state with trims and parameters, the app's presets and the
 * chosen outputs) into a .wanproj archive. Files stream from the library into the archive; the
 * archive appears under its name only when complete.
 */
export async function exportProjectArchive(library: Library, req: ExportRequest): Promise<{ file: string; sizeBytes: number }> {
  const { manifest, files } = planArchive(library, req.projectId, req.outputIds);
  const name = manifest.project.name;
  let total = 0;
  for (const f of files) {
    try {
      total += (await stat(f.source)).size;
    } catch (e) {
      throw fsFailure(e, `export project “${name}” (${basename(f.source)} is missing from the library)`, library.home);
    }
  }
  await assertRoomFor(dirname(req.target), total, `The archive of “${name}”`);
  const temp = join(dirname(req.target), `.${basename(req.target)}.${randomBytes(6).toString('hex')}.part`);
  let writer: ZipFileWriter | null = null;
  try {
    writer = await ZipFileWriter.create(temp);
    await writer.addBuffer(MANIFEST_NAME, Buffer.from(JSON.stringify(manifest, null, 2)));
    for (const f of files) await writer.addFile(f.entry, f.source, req.signal);
    const sizeBytes = await writer.finish();
    writer = null;
    await rename(temp, req.target);
    return { file: req.target, sizeBytes };
  } catch (e) {
    await writer?.abort();
    await rm(temp, { force: true });
    if (e instanceof Error && e.name === 'AbortError') throw new StudioError('cancelled', `The export of project “${name}” was cancelled.`);
    throw fsFailure(e, `export project “${name}” to ${req.target}`, dirname(req.target));
  }
}
