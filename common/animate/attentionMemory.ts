import { wholeGigabytes } from '../units/gigabytes';
import { attentionBytes, maxAttentionTokens, OLDER_EXPORTER, type DitAttentionSpec } from '../wan/attentionMemory';

/** What the attention's size depends on: the processing frame size and the clip length. */
export interface AttentionShape {
  width: number;
  height: number;
  clipLen: number;
}

/** Latent frames plus the reference latent, each (H/16) x (W/16) tokens. */
const tokenFramesOf = (clipLen: number): number => (clipLen - 1) / 4 + 2;
const tokensOf = (s: AttentionShape): number => tokenFramesOf(s.clipLen) * (s.height / 16) * (s.width / 16);

/** Bytes an Animate DiT's MatMul attention holds for one clip (0 for a "multihead" pack). */
export const ditAttentionBytes = (s: AttentionShape, dit: DitAttentionSpec): number => attentionBytes(tokensOf(s), dit);

/**
 * Why a frame size cannot render on this computer (its attention alone would not fit in memory), or
 * null. Main asks before preparing the inputs, the worker again before encoding: ONNX Runtime would
 * otherwise fail the first sampling step after minutes of work.
 */
export function attentionProblem(s: AttentionShape, dit: DitAttentionSpec, memoryBytes: number): string | null {
  const need = ditAttentionBytes(s, dit);
  if (need <= memoryBytes) return null;
  // The largest frame area (pixels) whose attention fits, at the same clip length.
  const maxArea = Math.floor(maxAttentionTokens(memoryBytes, dit.heads) / tokenFramesOf(s.clipLen)) * 256;
  return (
    `Width and Height ${s.width}x${s.height} need about ${wholeGigabytes(need)} for the model's attention over a clip of ${s.clipLen} frames; this computer has ${wholeGigabytes(memoryBytes)}. ` +
    `Choose a smaller Width and Height (at most about ${maxArea.toLocaleString('en-US')} pixels per frame, e.g. ${exampleSize(maxArea, s.width / s.height)}) or render in the cloud. ` +
    OLDER_EXPORTER
  );
}

/** A size of about `area` pixels at the frame's aspect ratio, both sides multiples of 16. */
function exampleSize(area: number, aspect: number): string {
  const h = Math.max(16, Math.floor(Math.sqrt(area / aspect) / 16) * 16);
  const w = Math.max(16, Math.floor(area / h / 16) * 16);
  return `${w}x${h}`;
}
