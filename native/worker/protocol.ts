import type { PackManifest } from '../../main/core/engines/local/packManifest';
import type { ProviderReport } from '../ort/packSessions';
import type { ProviderName } from '../ort/providers';
import type { S2vJob, S2vProgress, S2vResult } from '../s2v/s2vPipeline';

/** Messages between the engine driver (main) and the inference worker. Typed both ways; nothing else crosses. */
export type ToWorker =
  | { type: 'load'; packDir: string; manifest: PackManifest; provider: ProviderName | null; keepLoaded: boolean }
  | { type: 'run'; job: S2vJob }
  | { type: 'cancel' };

export type WorkerErrorCode = 'pack_invalid' | 'provider_failed' | 'cancelled' | 'failed';

export type FromWorker =
  | { type: 'loaded'; provider: ProviderReport }
  | ({ type: 'progress' } & S2vProgress)
  | { type: 'log'; line: string }
  /** A clip is finished: its frames (raw RGB24 checkpoint) can be previewed. */
  | { type: 'preview'; clip: number; rgbFile: string; width: number; height: number; frames: number }
  | { type: 'result'; result: S2vResult }
  | { type: 'error'; code: WorkerErrorCode; message: string };
