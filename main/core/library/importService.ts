import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { StudioError } from '../contract/errors';
import { cleanDisplayName } from '../contract/format';
import type { ImportResult, ImportStage } from '../contract/types';
import type { ToolPreferences } from '../media/ffmpegBinaries';
import type { MediaInfo } from '../media/mediaInfo';
import { readImageHeaderSize } from '../media/imageHeader';
import { assertImportable, assertPixelSize } from '../media/limits';
import { probeMedia } from '../media/probe';
import { makeThumbnail } from '../media/thumbnail';
import type { AssetRepository } from './assetRepository';
import { makePreviews } from './assetPreviews';
import type { Db } from './database';
import { assertRoomFor } from './freeSpace';
import { errorCode, fsFailure } from './fsErrors';
import { newId } from './ids';
import type { MediaStore } from './mediaStore';
import type { ProjectRepository } from './projectRepository';

export interface ImportRequest {
  projectId: string;
  /** Absolute path of the file to import. */
  path: string;
  /** The name shown to the user (the original file name for uploads). */
  displayName: string;
  /** True when the file is ours to consume (an upload in tmp/), so it is moved, not copied. */
  move: boolean;
  signal?: AbortSignal;
  onProgress?: (stage: ImportStage, bytesDone: number, bytesTotal: number | null) => void;
}

const EXT_BY_CODEC: Record<string, string> = {
  png: '.png',
  mjpeg: '.jpg',
  webp: '.webp',
  bmp: '.bmp',
  tiff: '.tif',
  gif: '.gif',
};
const EXT_BY_CONTAINER: Record<string, string> = {
  wav: '.wav',
  mp3: '.mp3',
  flac: '.flac',
  ogg: '.ogg',
  aac: '.aac',
  mp4: '.mp4',
  mkv: '.mkv',
  avi: '.avi',
  webm: '.webm',
};

/** The stored file keeps a real extension so other tools open it; it never comes from an unsafe name. */
function storedExtension(displayName: string, info: MediaInfo): string {
  const original = extname(displayName).toLowerCase();
  if (/^\.[a-z0-9]{1,5}$/.test(original)) return original;
  if (info.kind === 'image' && info.video) return EXT_BY_CODEC[info.video.codec] ?? '.img';
  return EXT_BY_CONTAINER[info.container] ?? '.bin';
}

export interface ImportDeps {
  db: Db;
  projects: ProjectRepository;
  assets: AssetRepository;
  store: MediaStore;
  home: string;
  tools: () => ToolPreferences;
}

/**
 * Brings one file into a project. Order matters for "nothing half-imported": hash into tmp/,
 * probe, place the content file, make the thumbnail, and only then insert the row in one
 * transaction. A failure at any step removes what this import created and leaves the DB as it was.
 */
export async function importFile(deps: ImportDeps, req: ImportRequest): Promise<ImportResult> {
  const { projects, assets, store } = deps;
  const name = cleanDisplayName(req.displayName);
  projects.get(req.projectId);

  let size: number;
  try {
    const st = await stat(req.path);
    if (st.isDirectory()) throw new StudioError('invalid_input', `${name} is a folder, not a file. Pick the media file inside it.`);
    if (!st.isFile()) throw new StudioError('invalid_input', `${name} is not a regular file. Pick an image, audio or video file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof StudioError) throw e;
    if (errorCode(e) === 'ENOENT') {
      throw new StudioError('not_found', `${name} was not found at ${req.path}. It may have been moved or deleted; pick it again.`);
    }
    if (errorCode(e) === 'EACCES' || errorCode(e) === 'EPERM') {
      throw new StudioError('forbidden', `${name} cannot be read (permission denied). Check the file's permissions.`);
    }
    throw fsFailure(e, `read ${name}`, dirname(req.path));
  }
  if (size === 0) throw new StudioError('unsupported_media', `${name} is empty (0 bytes). Export it again and re-import.`);
  // An oversized picture is refused from its header, before copying, hashing or decoding it.
  const header = await readImageHeaderSize(req.path).catch(() => null);
  if (header) assertPixelSize(header.width, header.height, name);
  // A copy needs the room up front; a move (an upload already on this disk) does not.
  if (!req.move) await assertRoomFor(deps.home, size, name);

  req.onProgress?.('copying', 0, size);
  const ingested = await store.ingest(req.path, {
    move: req.move,
    displayName: name,
    signal: req.signal,
    onBytes: (done) => req.onProgress?.('copying', done, size),
  });

  const created: string[] = [];
  let keepTmp = true;
  try {
    req.onProgress?.('probing', ingested.sizeBytes, size);
    const info = await probeMedia(ingested.tmpPath, { displayName: name, tools: deps.tools(), signal: req.signal });
    assertImportable(info, name);

    const existing = assets.findByHash(req.projectId, ingested.sha256);
    if (existing) {
      await rm(ingested.tmpPath, { force: true });
      keepTmp = false;
      return { asset: existing, deduped: true };
    }

    const placed = await store.place(ingested, storedExtension(name, info), name);
    keepTmp = false;
    if (placed.created) created.push(placed.file);

    req.onProgress?.('thumbnail', ingested.sizeBytes, size);
    const thumb = store.thumbFor(ingested.sha256);
    let thumbRel: string | null = thumb.rel;
    try {
      await mkdir(dirname(thumb.full), { recursive: true });
      if (!(await fileExists(thumb.full))) {
        await makeThumbnail(join(deps.home, placed.file), info, thumb.full, { tools: deps.tools(), signal: req.signal });
        created.push(thumb.rel);
      }
    } catch (e) {
      if (e instanceof StudioError && e.code === 'cancelled') throw e;
      if (errorCode(e) === 'ENOSPC') throw fsFailure(e, `import ${name}`, deps.home);
      // A file that probes but cannot be decoded to a picture still imports; it shows no thumbnail.
      thumbRel = null;
    }

    req.onProgress?.('analyzing', ingested.sizeBytes, size);
    const { previews, created: previewFiles } = await makePreviews({
      source: join(deps.home, placed.file),
      info,
      sha256: ingested.sha256,
      displayName: name,
      store,
      tools: deps.tools(),
      signal: req.signal,
    });
    created.push(...previewFiles);

    req.onProgress?.('saving', ingested.sizeBytes, size);
    const now = Date.now();
    const id = newId();
    try {
      deps.db.transaction(() => {
        assets.insert({
          id,
          projectId: req.projectId,
          name: basename(name),
          sha256: ingested.sha256,
          sizeBytes: ingested.sizeBytes,
          file: placed.file,
          thumb: thumbRel,
          previews,
          info,
          createdAt: now,
        });
        projects.touch(req.projectId, now);
      })();
    } catch (e) {
      throw fsFailure(e, `save ${name} in the library`, deps.home);
    }
    created.length = 0;
    req.onProgress?.('done', ingested.sizeBytes, size);
    return { asset: assets.get(id), deduped: false };
  } catch (e) {
    req.onProgress?.('failed', ingested.sizeBytes, size);
    // Only remove content nobody else references: another project may hold the same file.
    if (created.length > 0 && assets.hashRefCount(ingested.sha256) === 0) await store.removeFiles(created);
    throw e;
  } finally {
    if (keepTmp) await rm(ingested.tmpPath, { force: true });
  }
}

async function fileExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
