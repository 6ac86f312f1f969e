import { StudioError } from '../contract/errors';
import type { Asset, AssetKind, FilmstripInfo } from '../contract/types';
import type { MediaInfo } from '../media/mediaInfo';
import type { Db } from './database';

interface AssetRow {
  id: string;
  project_id: string;
  kind: AssetKind;
  name: string;
  sha256: string;
  size_bytes: number;
  file: string;
  thumb: string | null;
  container: string;
  duration_sec: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  sample_rate: number | null;
  channels: number | null;
  rotation: number;
  has_alpha: number;
  created_at: number;
  poster: string | null;
  filmstrip_json: string | null;
  peaks: string | null;
  playback: string | null;
}

const toAsset = (r: AssetRow): Asset => ({
  id: r.id,
  projectId: r.project_id,
  kind: r.kind,
  name: r.name,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  file: r.file,
  thumb: r.thumb,
  poster: r.poster,
  filmstrip: r.filmstrip_json ? (JSON.parse(r.filmstrip_json) as FilmstripInfo) : null,
  hasPeaks: r.peaks !== null,
  playback: r.playback,
  createdAt: r.created_at,
  media: {
    container: r.container,
    durationSec: r.duration_sec,
    width: r.width,
    height: r.height,
    fps: r.fps,
    videoCodec: r.video_codec,
    audioCodec: r.audio_codec,
    sampleRate: r.sample_rate,
    channels: r.channels,
    rotation: r.rotation,
    hasAlpha: r.has_alpha === 1,
  },
});

export interface StoredFiles {
  sha256: string;
  files: string[];
}

const storedFiles = (r: Pick<AssetRow, 'sha256' | 'file' | 'thumb' | 'poster' | 'filmstrip_json' | 'peaks' | 'playback'>): StoredFiles => ({
  sha256: r.sha256,
  files: [r.file, r.thumb, r.poster, r.peaks, r.playback, r.filmstrip_json ? (JSON.parse(r.filmstrip_json) as FilmstripInfo).file : null].filter(
    (f): f is string => f !== null,
  ),
});

export const filesOfAsset = (a: Asset, peaks: string | null): StoredFiles =>
  storedFiles({ sha256: a.sha256, file: a.file, thumb: a.thumb, poster: a.poster, filmstrip_json: a.filmstrip ? JSON.stringify(a.filmstrip) : null, peaks, playback: a.playback });

export interface NewAsset {
  id: string;
  projectId: string;
  name: string;
  sha256: string;
  sizeBytes: number;
  file: string;
  thumb: string | null;
  previews: AssetPreviews;
  info: MediaInfo;
  createdAt: number;
}

/** Library paths of what import made to show an asset; all optional (a preview may fail alone). */
export interface AssetPreviews {
  poster: string | null;
  filmstrip: FilmstripInfo | null;
  peaks: string | null;
  playback: string | null;
}

export class AssetRepository {
  constructor(private readonly db: Db) {}

  listByProject(projectId: string): Asset[] {
    return this.db
      .prepare<[string], AssetRow>('SELECT * FROM assets WHERE project_id = ? ORDER BY created_at, rowid')
      .all(projectId)
      .map(toAsset);
  }

  /** Names and thumbnails of these assets (those that still exist), in one query: for lists of jobs. */
  thumbsOf(ids: readonly string[]): Map<string, { name: string; thumb: string | null }> {
    const out = new Map<string, { name: string; thumb: string | null }>();
    const unique = [...new Set(ids)];
    // SQLite binds at most 32,766 values; a page of the queue names a few hundred at most.
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = this.db
        .prepare<string[], { id: string; name: string; thumb: string | null }>(`SELECT id, name, thumb FROM assets WHERE id IN (${chunk.map(() => '?').join(', ')})`)
        .all(...chunk);
      for (const r of rows) out.set(r.id, { name: r.name, thumb: r.thumb });
    }
    return out;
  }

  find(id: string): Asset | null {
    const row = this.db.prepare<[string], AssetRow>('SELECT * FROM assets WHERE id = ?').get(id);
    return row ? toAsset(row) : null;
  }

  get(id: string): Asset {
    const a = this.find(id);
    if (!a) throw new StudioError('not_found', `Asset ${id} does not exist. It may have been removed; reload the project.`);
    return a;
  }

  findByHash(projectId: string, sha256: string): Asset | null {
    const row = this.db
      .prepare<[string, string], AssetRow>('SELECT * FROM assets WHERE project_id = ? AND sha256 = ?')
      .get(projectId, sha256);
    return row ? toAsset(row) : null;
  }

  /** How many assets (in any project) still use this content. */
  hashRefCount(sha256: string): number {
    return this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM assets WHERE sha256 = ?').get(sha256)?.n ?? 0;
  }

  /** Every library file an asset row points at, for removal once nothing references its content. */
  filesOfProject(projectId: string): StoredFiles[] {
    return this.db
      .prepare<[string], AssetRow>('SELECT * FROM assets WHERE project_id = ?')
      .all(projectId)
      .map(storedFiles);
  }

  /** Every library file some asset row names (content, thumbnails, previews): what a sweep keeps. */
  allFiles(): string[] {
    return this.db
      .prepare<[], AssetRow>('SELECT * FROM assets')
      .all()
      .flatMap((r) => storedFiles(r).files);
  }

  peaksFile(id: string): string | null {
    return this.db.prepare<[string], { peaks: string | null }>('SELECT peaks FROM assets WHERE id = ?').get(id)?.peaks ?? null;
  }

  insert(a: NewAsset): void {
    const v = a.info.video;
    const au = a.info.audio;
    this.db
      .prepare(
        `INSERT INTO assets (id, project_id, kind, name, sha256, size_bytes, file, thumb, container, duration_sec,
           width, height, fps, video_codec, audio_codec, sample_rate, channels, rotation, has_alpha, probe_json, created_at,
           poster, filmstrip_json, peaks, playback)
         VALUES (@id, @projectId, @kind, @name, @sha256, @sizeBytes, @file, @thumb, @container, @durationSec,
           @width, @height, @fps, @videoCodec, @audioCodec, @sampleRate, @channels, @rotation, @hasAlpha, @probeJson, @createdAt,
           @poster, @filmstripJson, @peaks, @playback)`,
      )
      .run({
        id: a.id,
        projectId: a.projectId,
        kind: a.info.kind,
        name: a.name,
        sha256: a.sha256,
        sizeBytes: a.sizeBytes,
        file: a.file,
        thumb: a.thumb,
        container: a.info.container,
        durationSec: a.info.durationSec,
        width: v?.width ?? null,
        height: v?.height ?? null,
        fps: v?.fps ?? null,
        videoCodec: v?.codec ?? null,
        audioCodec: au?.codec ?? null,
        sampleRate: au?.sampleRate ?? null,
        channels: au?.channels ?? null,
        rotation: v?.rotation ?? 0,
        hasAlpha: v?.hasAlpha ? 1 : 0,
        probeJson: JSON.stringify(a.info),
        createdAt: a.createdAt,
        poster: a.previews.poster,
        filmstripJson: a.previews.filmstrip ? JSON.stringify(a.previews.filmstrip) : null,
        peaks: a.previews.peaks,
        playback: a.previews.playback,
      });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM assets WHERE id = ?').run(id).changes > 0;
  }

  /** The stored probe, for code that needs more than the summary columns. */
  mediaInfo(id: string): MediaInfo {
    const row = this.db.prepare<[string], { probe_json: string }>('SELECT probe_json FROM assets WHERE id = ?').get(id);
    if (!row) throw new StudioError('not_found', `Asset ${id} does not exist.`);
    return JSON.parse(row.probe_json) as MediaInfo;
  }
}
