import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import type { Asset, ImportResult, ImportStage, Project, ProjectDetail, ProjectState, StudioApp, UserSettings } from '../contract/types';
import { applyPatch, referencedAssets, withoutAsset, type ProjectStatePatch } from './projectState';
import type { ToolPreferences } from '../media/ffmpegBinaries';
import { computePeaks, readPeaksFile, writePeaksFile, type Peaks } from '../media/peaks';
import { AssetRepository, filesOfAsset, type StoredFiles } from './assetRepository';
import { openDatabase, type Db } from './database';
import { fsFailure } from './fsErrors';
import { newId } from './ids';
import { importFile } from './importService';
import { JobRepository } from './jobRepository';
import { LibraryOwners } from './libraryOwners';
import { sweepLibrary, type SweepReport } from './librarySweep';
import { OutputRepository } from './outputRepository';
import { MediaStore } from './mediaStore';
import { libraryLayout, type LibraryLayout } from './paths';
import { ProjectRepository } from './projectRepository';
import { QueueRepository } from './queueRepository';
import { SettingsRepository } from './settingsRepository';

/**
 * The project library: one SQLite file plus content-addressed media under one home folder.
 * Everything that changes rows does so in a transaction; files are removed only after the
 * transaction that stopped referencing them has committed.
 */
export class Library {
  readonly projects: ProjectRepository;
  readonly assets: AssetRepository;
  readonly settings: SettingsRepository;
  readonly jobs: JobRepository;
  readonly outputs: OutputRepository;
  readonly queue: QueueRepository;
  readonly store: MediaStore;
  /** What the start-up sweep removed (leftovers of a crash). */
  lastSweep: SweepReport = { removed: [] };
  private readonly owners: LibraryOwners;

  private constructor(
    readonly layout: LibraryLayout,
    readonly db: Db,
  ) {
    this.projects = new ProjectRepository(db);
    this.assets = new AssetRepository(db);
    this.settings = new SettingsRepository(db);
    this.jobs = new JobRepository(db);
    this.outputs = new OutputRepository(db);
    this.queue = new QueueRepository(db);
    this.store = new MediaStore(layout);
    // Outside tmp/, which the sweep empties.
    this.owners = new LibraryOwners(join(layout.home, '.owners'));
  }

  static async open(home: string, options: { targetVersion?: number } = {}): Promise<Library> {
    const layout = libraryLayout(home);
    try {
      await mkdir(layout.home, { recursive: true });
      await new MediaStore(layout).ensureFolders();
    } catch (e) {
      throw fsFailure(e, 'prepare the library folder', layout.home);
    }
    const db = openDatabase(layout.db, options);
    const lib = new Library(layout, db);
    try {
      const { othersAlive } = lib.owners.register();
      lib.lastSweep = await sweepLibrary(lib, { othersAlive });
    } catch (e) {
      lib.close();
      throw fsFailure(e, 'prepare the library folder', layout.home);
    }
    return lib;
  }

  get home(): string {
    return this.layout.home;
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.owners.release();
  }

  toolPreferences(): ToolPreferences {
    const s = this.settings.read();
    return { ffmpegPath: s.ffmpegPath, ffprobePath: s.ffprobePath };
  }

  listProjects(search?: string): Project[] {
    return this.projects.list(search);
  }

  getProject(id: string): ProjectDetail {
    return { project: this.projects.get(id), assets: this.assets.listByProject(id), state: this.projects.readState(id) };
  }

  /** Saves editor state; every asset it names must belong to this project. */
  updateProjectState(id: string, patch: ProjectStatePatch): ProjectState {
    return this.db.transaction(() => {
      const next = applyPatch(this.projects.readState(id), patch);
      for (const ref of referencedAssets(next)) {
        const asset = this.assets.find(ref.id);
        if (!asset || asset.projectId !== id) {
          throw new StudioError('invalid_input', `${ref.field}: asset ${ref.id} is not in this project. Import the file into the project first.`);
        }
      }
      this.projects.writeState(id, next, Date.now());
      return next;
    })();
  }

  createProject(name: string, app: StudioApp = this.settings.read().defaultApp): Project {
    const id = newId();
    this.db.transaction(() => this.projects.insert(id, name, app, Date.now()))();
    return this.projects.get(id);
  }

  renameProject(id: string, name: string): Project {
    this.db.transaction(() => this.projects.rename(id, name, Date.now()))();
    return this.projects.get(id);
  }

  async deleteProject(id: string): Promise<void> {
    this.projects.get(id);
    const files = this.assets.filesOfProject(id);
    const outputFiles = this.outputs.listByProject(id).flatMap((o) => [o.file, o.poster]);
    const jobIds = this.projects.jobIds(id);
    this.db.transaction(() => this.projects.delete(id))();
    // Committed: now the files. A crash here leaves unreferenced files, never rows without files.
    await this.removeUnreferenced(files);
    await this.store.removeFiles(outputFiles);
    for (const jobId of jobIds) await rm(join(this.layout.jobs, jobId), { recursive: true, force: true });
    await rm(join(this.layout.outputs, id), { recursive: true, force: true });
  }

  importFile(req: {
    projectId: string;
    path: string;
    displayName: string;
    move: boolean;
    signal?: AbortSignal;
    onProgress?: (stage: ImportStage, done: number, total: number | null) => void;
  }): Promise<ImportResult> {
    return importFile(
      { db: this.db, projects: this.projects, assets: this.assets, store: this.store, home: this.home, tools: () => this.toolPreferences() },
      req,
    ).catch(async (e: unknown) => {
      // An upload is ours: one that failed to import is not kept for a second try that never comes.
      if (req.move) await rm(req.path, { force: true });
      throw e;
    });
  }

  async removeAsset(assetId: string): Promise<Asset> {
    const asset = this.assets.get(assetId);
    const files = filesOfAsset(asset, this.assets.peaksFile(assetId));
    this.db.transaction(() => {
      this.assets.delete(assetId);
      // An editor must not keep pointing at media that is gone.
      this.projects.writeState(asset.projectId, withoutAsset(this.projects.readState(asset.projectId), assetId), Date.now());
    })();
    await this.removeUnreferenced([files]);
    return asset;
  }

  /** The waveform of an asset's sound, from the cache, or computed (and cached) if it is missing. */
  async peaksOf(assetId: string, signal?: AbortSignal): Promise<Peaks> {
    const asset = this.assets.get(assetId);
    const rel = this.assets.peaksFile(assetId);
    const cached = rel ? await readPeaksFile(join(this.home, rel)) : null;
    if (cached) return cached;
    const info = this.assets.mediaInfo(assetId);
    const target = this.store.cacheFor(asset.sha256, '.peaks');
    const peaks = await computePeaks(join(this.home, asset.file), info, { tools: this.toolPreferences(), signal, displayName: asset.name });
    await writePeaksFile(target.full, peaks);
    this.db.prepare('UPDATE assets SET peaks = ? WHERE sha256 = ?').run(target.rel, asset.sha256);
    return peaks;
  }

  readSettings(): UserSettings {
    return this.settings.read();
  }

  writeSettings(patch: Partial<UserSettings>): UserSettings {
    this.settings.write(patch, Date.now());
    return this.settings.read();
  }

  private async removeUnreferenced(stored: StoredFiles[]): Promise<void> {
    for (const s of stored) {
      if (this.assets.hashRefCount(s.sha256) === 0) await this.store.removeFiles(s.files);
    }
  }
}
