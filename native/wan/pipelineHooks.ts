import type { S2vProgress } from '../../common/s2v/s2vJob';

export class CancelledError extends Error {}

/** What a clip-by-clip pipeline (S2V, Animate) tells its caller, and how it learns of a cancel. */
export interface PipelineHooks {
  onProgress: (p: S2vProgress) => void;
  onLog: (line: string) => void;
  isCancelled: () => boolean;
  /** A clip is checkpointed (or replayed from its checkpoint): main encodes it from the file. */
  onClip: (clip: { index: number; rgbFile: string; frames: number; resumed: boolean }) => void;
  /** Clip r's clean latents before VAE decoding (for the reference comparison tests). */
  onLatents?: (clip: number, latents: Float32Array) => void;
}

/** Throws CancelledError once the caller asked to cancel: called between steps and stages. */
export const cancelCheck = (hooks: Pick<PipelineHooks, 'isCancelled'>) => (): void => {
  if (hooks.isCancelled()) throw new CancelledError('cancelled');
};
