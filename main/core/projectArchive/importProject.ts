import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { extractEntry, readEntry, readZipDirectory, ZipReadError, type ZipEntry } from '../archive/zipReader';
import { StudioError } from '../contract/errors';
import type { Project } from '../contract/types';
import { assertRoomFor } from '../library/freeSpace';
import { fsFailure } from '../library/fsErrors';
import type { Library } from '../library/library';
import { toLibraryPath } from '../library/paths';
import { ARCHIVE_VERSION, MANIFEST_NAME, MAX_MANIFEST_BYTES, manifestSchema, type ProjectManifest } from './manifest';
import { addArchivePresets } from './presetMerge';
import { remapState, uniqueProjectName } from './remap';

export interface ImportArchiveRequest {
  path: string;
  /** The archive's name as the user knows it, for messages. */
  displayName: string;
  signal?: AbortSignal;
}

export interface ImportArchiveResult {
  project: Project;
  /** The name the archive asked for when another project already had it. */
  renamedFrom: string | null;
  presetsAdded: number;
  outputs: number;
}

/** A long render is a few GB; the limits stop an archive that claims more than any project holds. */
const MAX_PROJECT_BYTES = 64 * 1024 ** 3;
const LIMITS = { maxEntries: 4000, maxEntryBytes: MAX_PROJECT_BYTES, maxTotalBytes: MAX_PROJECT_BYTES };

function refused(displayName: string, e: unknown, home: string): StudioError {
  if (e instanceof StudioError) return e;
  if (e instanceof ZipReadError) {
    const todo =
      e.problem === 'unsafe_name'
        ? 'It was not made by Wan Studio or has been tampered with. Nothing was imported.'
        : e.problem === 'not_zip'
          ? 'Pick a .wanproj file made with Export project.'
          : 'Export the project again and copy the whole file. Nothing was imported.';
    return new StudioError('invalid_input', `${displayName} cannot be imported: ${e.message}. ${todo}`);
  }
  return fsFailure(e, `import ${displayName}`, home);
}

async function readManifest(path: string, displayName: string, entries: Map<string, ZipEntry>): Promise<ProjectManifest> {
  const entry = entries.get(MANIFEST_NAME);
  if (!entry) throw new StudioError('invalid_input', `${displayName} is not a Wan Studio project archive (it has no ${MANIFEST_NAME}). Pick a .wanproj file made with Export project.`);
  let json: unknown;
  try {
    json = JSON.parse((await readEntry(path, entry, MAX_MANIFEST_BYTES)).toString('utf8'));
  } catch (e) {
    if (e instanceof ZipReadError) throw e;
    throw new StudioError('invalid_input', `${displayName} cannot be imported: its ${MANIFEST_NAME} is not valid JSON. Export the project again.`);
  }
  const version = typeof json === 'object' && json !== null && 'version' in json ? Number(json.version) : 0;
  if (version > ARCHIVE_VERSION) {
    throw new StudioError('invalid_input', `${displayName} was made by a newer Wan Studio (archive version ${version}). Update Wan Studio to import it.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('invalid_input', `${displayName} cannot be imported: ${MANIFEST_NAME} ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is not valid'}. Export the project again.`);
  }
  return parsed.data;
}

/** Every file the manifest names must be in the archive, with the size it says. */
function requiredEntries(m: ProjectManifest, entries: Map<string, ZipEntry>, displayName: string): ZipEntry[] {
  const names = [...m.assets.map((a) => a.file), ...m.outputs.flatMap((o) => [o.file, o.poster].filter((f): f is string => f !== null))];
  return names.map((name) => {
    const entry = entries.get(name);
    if (!entry) throw new StudioError('invalid_input', `${displayName} cannot be imported: ${name} is missing from it. Export the project again and copy the whole file.`);
    const asset = m.assets.find((a) => a.file === name);
    if (asset && asset.sizeBytes !== entry.size) throw new StudioError('invalid_input', `${displayName} cannot be imported: ${asset.name} has the wrong size inside it. Export the project again.`);
    return entry;
  });
}

/**
 * Brings a .wanproj archive in as a new project. The archive is checked whole (file list, names,
 * sizes, manifest) and unpacked to a staging folder before the project exists; media then go
 * through the normal import (probe, previews, hash). Any failure removes the new project and
 * everything staged: the library is left as it was.
 */
export async function importProjectArchive(library: Library, req: ImportArchiveRequest): Promise<ImportArchiveResult> {
  const { displayName } = req;
  let staging: string | null = null;
  try {
    const st = await stat(req.path).catch((e: unknown) => {
      throw new StudioError('not_found', `${displayName} was not found (${(e as Error).message}). Pick the archive again.`);
    });
    if (!st.isFile()) throw new StudioError('invalid_input', `${displayName} is not a file. Pick a .wanproj archive.`);
    const list = await readZipDirectory(req.path, LIMITS);
    const entries = new Map(list.map((e) => [e.name, e]));
    const manifest = await readManifest(req.path, displayName, entries);
    const needed = requiredEntries(manifest, entries, displayName);
    await assertRoomFor(library.home, needed.reduce((n, e) => n + e.size, 0) * 2, displayName);
    staging = await mkdtemp(join(library.layout.tmp, 'project-import-'));
    const staged = new Map<string, string>();
    for (const [i, entry] of needed.entries()) {
      const target = join(staging, `${i}${safeExt(entry.name)}`);
      await extractEntry(req.path, entry, target, req.signal);
      staged.set(entry.name, target);
    }
    return await createFromStaged(library, manifest, staged, displayName);
  } catch (e) {
    throw refused(displayName, e, library.home);
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

const safeExt = (name: string): string => {
  const ext = extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin';
};

async function createFromStaged(library: Library, m: ProjectManifest, staged: Map<string, string>, displayName: string): Promise<ImportArchiveResult> {
  const name = uniqueProjectName(m.project.name, library.listProjects().map((p) => p.name));
  const project = library.createProject(name, m.project.app);
  try {
    const assetIds = new Map<string, string>();
    for (const a of m.assets) {
      const { asset } = await library.importFile({ projectId: project.id, path: staged.get(a.file) ?? '', displayName: a.name, move: true });
      if (asset.sha256 !== a.sha256) throw new StudioError('invalid_input', `${displayName} cannot be imported: ${a.name} inside it is damaged (its hash does not match). Export the project again.`);
      assetIds.set(a.id, asset.id);
    }
    const outputs = await placeOutputs(library, project.id, m, staged);
    let presetsAdded = 0;
    library.db.transaction(() => {
      for (const o of outputs) library.outputs.create(o);
      presetsAdded = addArchivePresets(library.db, m.presets);
    })();
    library.updateProjectState(project.id, remapState(m.state, assetIds));
    return { project: library.projects.get(project.id), renamedFrom: name === m.project.name ? null : m.project.name, presetsAdded, outputs: outputs.length };
  } catch (e) {
    await library.deleteProject(project.id);
    throw e;
  }
}

/** Moves staged outputs into outputs/<project>/; rows are written by the caller in one transaction. */
async function placeOutputs(library: Library, projectId: string, m: ProjectManifest, staged: Map<string, string>) {
  const dir = join(library.layout.outputs, projectId);
  await mkdir(dir, { recursive: true });
  // Oldest first, so the newest is listed first again (the list is newest first).
  const ordered = [...m.outputs].reverse();
  const rows = [];
  for (const [i, o] of ordered.entries()) {
    const file = join(dir, `imported-${i + 1}${safeExt(o.file)}`);
    await rename(staged.get(o.file) ?? '', file);
    let poster: string | null = null;
    if (o.poster) {
      poster = join(dir, `imported-${i + 1}-poster${safeExt(o.poster)}`);
      await rename(staged.get(o.poster) ?? '', poster);
    }
    rows.push({ projectId, jobId: null, file: toLibraryPath(library.home, file), poster: poster && toLibraryPath(library.home, poster), settings: o.settings, seed: o.seed });
  }
  return rows;
}
