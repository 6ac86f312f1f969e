/** Data shapes that cross the contract. Plain JSON: no Dates, no Buffers, no class instances. */

export const studioApps = ['s2v', 'animate'] as const;
export type StudioApp = (typeof studioApps)[number];

export interface Project {
  id: string;
  name: string;
  app: StudioApp;
  createdAt: number;
  updatedAt: number;
  assetCount: number;
  /** Library-relative path of a thumbnail from the newest image or video asset, if any. */
  thumb: string | null;
  /** The newest render of the project, for the library card; null when there is none. */
  lastRender: { status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'; progress: number } | null;
}

export const assetKinds = ['image', 'audio', 'video'] as const;
export type AssetKind = (typeof assetKinds)[number];

/** What the library keeps of a probe: enough to show and to plan renders without re-probing. */
export interface AssetMedia {
  container: string;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  sampleRate: number | null;
  channels: number | null;
  rotation: number;
  hasAlpha: boolean;
}

export interface Asset {
  id: string;
  projectId: string;
  kind: AssetKind;
  /** The file name the user imported, for display. */
  name: string;
  sha256: string;
  sizeBytes: number;
  /** Library-relative path of the stored media file. */
  file: string;
  /** Library-relative path of the thumbnail, or null when none could be made. */
  thumb: string | null;
  /** Videos: a full-size still (library path). */
  poster: string | null;
  /** Videos: small frames side by side in one image, for the timeline. */
  filmstrip: FilmstripInfo | null;
  /** Sound: whether waveform peaks are ready (fetch them with media.peaks). */
  hasPeaks: boolean;
  /** A browser-playable copy (library path) when the original cannot play in the page; else null. */
  playback: string | null;
  media: AssetMedia;
  createdAt: number;
}

/** Non-destructive in/out points in seconds; outSec null means "to the end". */
export interface TrimRange {
  inSec: number;
  outSec: number | null;
}

export const engineChoices = ['auto', 'local', 'cloud'] as const;
export type EngineChoice = (typeof engineChoices)[number];

/**
 * What an editor remembers between sessions: the chosen inputs, their trims and the parameter
 * draft. Parameters are validated in full only when a render is queued.
 */
export interface S2vDraft {
  imageAssetId: string | null;
  audioAssetId: string | null;
  audioTrim: TrimRange;
  params: Record<string, unknown>;
}

/**
 * The person the user picked in the driving video (when it has several): the centre of their box
 * as fractions of the frame (0..1) at the moment they clicked, followed from frame to frame as
 * the nearest box. null: Wan's own rule (the largest person).
 */
export interface PersonPick {
  x: number;
  y: number;
  atSec: number;
}

export interface AnimateDraft {
  videoAssetId: string | null;
  referenceAssetId: string | null;
  videoTrim: TrimRange;
  params: Record<string, unknown>;
  /** Who in the driving video the render uses; reset when another video is picked. */
  person: PersonPick | null;
}

export interface ProjectState {
  s2v: S2vDraft;
  animate: AnimateDraft;
  engine: EngineChoice;
}

export interface FilmstripInfo {
  /** Library path of the strip image. */
  file: string;
  /** Time (seconds) of each frame, left to right. */
  times: number[];
  frameWidth: number;
  frameHeight: number;
}

/** Waveform peaks for a window of an asset's sound, normalised to -1..1. */
export interface PeaksWindowDto {
  peaksPerSecond: number;
  startSec: number;
  min: number[];
  max: number[];
  durationSec: number;
}

export interface ProjectDetail {
  project: Project;
  assets: Asset[];
  state: ProjectState;
}

/** A project written to a .wanproj archive in the library, ready to download. */
export interface ProjectArchiveDto {
  /** Library path of the archive (served like media). */
  file: string;
  /** The name to save it under. */
  downloadName: string;
  sizeBytes: number;
}

/** A .wanproj archive brought in as a new project. */
export interface ProjectImportDto {
  project: Project;
  /** The name in the archive, when the library had it already and the project got another. */
  renamedFrom: string | null;
  presetsAdded: number;
  outputs: number;
}

export const themes = ['system', 'dark', 'light'] as const;
export type Theme = (typeof themes)[number];

/** Settings the user edits. Secrets never appear here. */
export interface UserSettings {
  theme: Theme;
  ffmpegPath: string | null;
  ffprobePath: string | null;
  defaultApp: StudioApp;
  /** The inference.sh API address; null is the public service. INFERENCE_BASE_URL overrides it. */
  cloudBaseUrl: string | null;
  /** The execution provider the local engine must use, or null to pick the best available. */
  localProvider: LocalProvider | null;
  /** Cloud renders in flight at once (the render queue starts no more). */
  cloudConcurrency: number;
  /** "Automatic" jobs may go to the cloud when no local pack or GPU is free. Off: it costs money. */
  cloudFallback: boolean;
  /** The page plays a short sound when the queue runs out of work or a render fails. Off by default. */
  soundOnEnd: boolean;
}

export const localProviders = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type LocalProvider = (typeof localProviders)[number];

export interface ToolStatus {
  path: string | null;
  version: string | null;
  source: string | null;
  error: string | null;
  /** ffmpeg only: which of the encoders the export presets use are present. */
  encoders: Record<string, boolean> | null;
}

export type Transport = 'ipc' | 'ws' | 'cli';

export interface SettingsView {
  settings: UserSettings;
  app: { version: string; libraryHome: string; transport: Transport };
  tools: { ffprobe: ToolStatus; ffmpeg: ToolStatus };
}

/** How the renderer names a file it wants imported; the transport decides which kinds exist. */
export type ImportSource = { kind: 'path'; path: string } | { kind: 'upload'; uploadId: string; name: string };

export interface ImportResult {
  asset: Asset;
  /** True when the same content was already in this project and nothing new was stored. */
  deduped: boolean;
}

export interface LibraryChangedEvent {
  kind: 'project' | 'asset';
  projectId: string | null;
}

export type ImportStage = 'copying' | 'probing' | 'thumbnail' | 'analyzing' | 'saving' | 'done' | 'failed';
export interface ImportProgressEvent {
  projectId: string;
  name: string;
  stage: ImportStage;
  bytesDone: number;
  bytesTotal: number | null;
}
