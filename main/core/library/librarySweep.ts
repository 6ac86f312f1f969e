import type { Stats } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AssetRepository } from './assetRepository';
import type { JobRepository } from './jobRepository';
import type { OutputRepository } from './outputRepository';
import { toLibraryPath, type LibraryLayout } from './paths';
import type { ProjectRepository } from './projectRepository';

/** With another process on the library, only temp files nobody has touched for this long go. */
const STALE_TMP_MS = 60 * 60 * 1000;
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

export interface SweepDeps {
  layout: LibraryLayout;
  assets: AssetRepository;
  outputs: OutputRepository;
  jobs: JobRepository;
  projects: ProjectRepository;
}

export interface SweepReport {
  removed: string[];
}

/**
 * What a crash leaves behind, removed at start: uploads never imported, `.part` files of killed
 * uploads and downloads, content an import placed before its row was committed, previews and
 * posters of rows that never were, folders of jobs and projects that are gone. Only inside the
 * library's own folders, never following links, and only files no row references. When another
 * live process has the library open (it may be mid-import), only old temp files go.
 */
export async function sweepLibrary(deps: SweepDeps, options: { othersAlive: boolean }): Promise<SweepReport> {
  const removed: string[] = [];
  const { layout } = deps;
  if (options.othersAlive) {
    await removeEntries(layout.tmp, removed, (name, st) => name !== basename(layout.uploads) && st.isFile() && isOlder(st.mtimeMs, STALE_TMP_MS));
    await removeEntries(layout.uploads, removed, (_name, st) => st.isFile() && isOlder(st.mtimeMs, STALE_UPLOAD_MS));
    return { removed };
  }
  await removeEntries(layout.tmp, removed, (name) => name !== basename(layout.uploads));
  await removeEntries(layout.uploads, removed, () => true);

  const referenced = new Set([...deps.assets.allFiles(), ...deps.outputs.allFiles()]);
  for (const folder of [layout.media, layout.thumbs, layout.cache]) {
    // Content-addressed: <folder>/<first two hex digits>/<file>.
    for (const shard of await entries(folder)) {
      if (!shard.isDirectory()) continue;
      await removeEntries(join(folder, shard.name), removed, (name) => !referenced.has(toLibraryPath(layout.home, join(folder, shard.name, name))));
    }
  }
  const projectIds = new Set(deps.projects.list().map((p) => p.id));
  await removeEntries(layout.outputs, removed, (name, st) => !st.isDirectory() || !projectIds.has(name));
  for (const id of projectIds) {
    const dir = join(layout.outputs, id);
    await removeEntries(dir, removed, (name) => name !== EXPORTS_FOLDER && name !== ARCHIVES_FOLDER && !referenced.has(toLibraryPath(layout.home, join(dir, name))));
    await removeEntries(join(dir, ARCHIVES_FOLDER), removed, (name) => isTempSibling(name));
    // Exports are listed from their folder (no rows): keep finished ones of outputs that exist.
    const exportsDir = join(dir, EXPORTS_FOLDER);
    const outputIds = new Set(deps.outputs.listByProject(id).map((o) => o.id));
    await removeEntries(exportsDir, removed, (name) => !outputIds.has(name));
    for (const outputId of outputIds) await removeEntries(join(exportsDir, outputId), removed, (name) => isTempSibling(name));
  }
  const jobIds = deps.jobs.allIds();
  await removeEntries(layout.jobs, removed, (name) => !jobIds.has(name));
  return { removed };
}

/**
 * After a render failed or was cancelled: its video, poster and any half-written temp siblings
 * (`.<jobId>.<random>.part.*`) go, unless an output row names them.
 */
export async function sweepJobOutputs(deps: Pick<SweepDeps, 'layout' | 'outputs'>, projectId: string, jobId: string): Promise<void> {
  const dir = join(deps.layout.outputs, projectId);
  const referenced = new Set(deps.outputs.allFiles());
  const ours = (name: string) => name.startsWith(`${jobId}.`) || name.startsWith(`.${jobId}.`);
  await removeEntries(dir, [], (name) => ours(name) && !referenced.has(toLibraryPath(deps.layout.home, join(dir, name))));
}

/** outputs/<project>/exports/<outputId>/: finished exports of one output. */
const EXPORTS_FOLDER = 'exports';

/** outputs/<project>/archives/: the project's exported .wanproj (no rows; kept until the project goes). */
const ARCHIVES_FOLDER = 'archives';

/** The hidden `.name.<random>.part.ext` an ffmpeg run or download writes before its rename. */
const isTempSibling = (name: string) => name.startsWith('.') && name.includes('.part');

const isOlder = (mtimeMs: number, ms: number) => Date.now() - mtimeMs > ms;

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Removes the entries of `dir` that `doomed` picks; a link is removed itself, never followed. */
async function removeEntries(dir: string, removed: string[], doomed: (name: string, st: Stats) => boolean): Promise<void> {
  for (const e of await entries(dir)) {
    const full = join(dir, e.name);
    try {
      const st = await lstat(full);
      if (!doomed(e.name, st)) continue;
      await rm(full, { recursive: st.isDirectory(), force: true });
      removed.push(full);
    } catch {
      // Best effort: what cannot be inspected or removed is left for the next start.
    }
  }
}
