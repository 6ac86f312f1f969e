import type { StudioApp } from '../contract/types';

/**
 * What every render engine (local worker, inference.sh cloud) offers the queue. Parameters
 * arrive already validated by the app's schema (main/core/contract/params); inputs arrive as
 * absolute paths of materialized (trimmed) files.
 */
export interface EngineInputs {
  /** S2V: the portrait. Animate: the reference character image. */
  image?: string;
  /** S2V: the speech or song (16 kHz mono for the model, original rate kept for the mux). */
  audio?: string;
  /** Animate: the driving video. */
  video?: string;
}

export type EngineEvent =
  | { type: 'stage'; stage: string; detail?: string }
  | { type: 'progress'; fraction: number | null; etaMs: number | null }
  | { type: 'log'; line: string }
  | { type: 'preview'; file: string };

export interface EngineRunRequest {
  jobId: string;
  projectId: string;
  app: StudioApp;
  params: unknown;
  inputs: EngineInputs;
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
}

export interface EngineResult {
  /** Absolute path of the finished video inside the library's outputs folder. */
  outputFile: string;
  seed: number | null;
  /** The settings actually used, stored with the output and embedded in its metadata. */
  settings: unknown;
}

export interface EngineAvailability {
  available: boolean;
  /** Why not, phrased as what the user can do about it. */
  reason: string | null;
}

export interface Engine {
  readonly id: 'local' | 'cloud';
  availability(app: StudioApp): Promise<EngineAvailability>;
  run(request: EngineRunRequest): Promise<EngineResult>;
}
