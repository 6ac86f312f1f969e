import { framesPerClip } from './framesPerClip';
import { S2V_AREAS, s2vTargetSize } from './s2vSize';
import { wholeGigabytes } from '../units/gigabytes';
import { attentionBytes, maxAttentionTokens, OLDER_EXPORTER, type DitAttentionSpec } from '../wan/attentionMemory';

/** What an S2V pack's DiT says about the tokens besides the clip's own (manifest dit). */
export interface S2vAttentionSpec extends DitAttentionSpec {
  /** FramePack motion latents per bucket, patched 1x2x2, 2x4x4 and 4x8x8. */
  framePackBuckets: readonly [number, number, number];
}

export interface S2vAttentionShape {
  width: number;
  height: number;
  /** The form's Resolution when known (main knows it; the worker has only the size). */
  resolution?: '480p' | '720p';
  /** Frames per chunk as the form has it; each clip generates framesPerClip(it) frames. */
  framesPerChunk: number;
}

/**
 * The clip's tokens counted in frames of (H/16) x (W/16): its latents, the reference latent, and the
 * motion latents, whose coarser buckets are 8 and 64 times smaller per latent.
 */
function tokenFrames(framesPerClip: number, buckets: readonly [number, number, number]): number {
  return framesPerClip / 4 + 1 + buckets[0] + buckets[1] / 8 + buckets[2] / 64;
}

const tokensOf = (s: S2vAttentionShape, dit: S2vAttentionSpec): number => tokenFrames(framesPerClip(s.framesPerChunk), dit.framePackBuckets) * (s.height / 16) * (s.width / 16);

/** Bytes an S2V DiT's MatMul attention holds for one clip (0 for a "multihead" pack). */
export const s2vAttentionBytes = (s: S2vAttentionShape, dit: S2vAttentionSpec): number => attentionBytes(tokensOf(s, dit), dit);

/**
 * Why an S2V clip cannot render on this computer because its attention alone would not fit in
 * memory, or null; names the Resolution and Frames per chunk the form shows, and what fits. Main asks
 * before preparing the portrait, the worker again before loading the models.
 */
export function s2vAttentionProblem(s: S2vAttentionShape, dit: S2vAttentionSpec, memoryBytes: number): string | null {
  const need = s2vAttentionBytes(s, dit);
  if (need <= memoryBytes) return null;
  const chunk = largestChunk(s, dit, memoryBytes);
  const here = chunk >= 16 ? [`Frames per chunk at most ${chunk} (under Advanced)`] : [];
  if (s.resolution === '720p') {
    const at480 = { ...s, ...s2vTargetSize(s.height, s.width, S2V_AREAS['480p']) };
    const chunk480 = largestChunk(at480, dit, memoryBytes);
    if (chunk480 >= s.framesPerChunk) here.push('Resolution 480p');
    else if (chunk480 >= 16) here.push(`Resolution 480p with Frames per chunk at most ${chunk480}`);
  }
  const size = s.resolution ? `Resolution ${s.resolution} (${s.width}x${s.height} for this portrait)` : `${s.width}x${s.height}`;
  return (
    `${size} with Frames per chunk ${s.framesPerChunk} needs about ${wholeGigabytes(need)} for the model's attention; this computer has ${wholeGigabytes(memoryBytes)}. ` +
    `${here.length > 0 ? `To render here, choose ${here.join(' or ')}; or render in the cloud.` : 'Render it in the cloud.'} ${OLDER_EXPORTER}`
  );
}

/** The largest Frames per chunk whose attention fits at this size: each 4 frames add one frame of tokens. */
function largestChunk(s: S2vAttentionShape, dit: S2vAttentionSpec, memoryBytes: number): number {
  const frameTokens = (s.height / 16) * (s.width / 16);
  return Math.floor(maxAttentionTokens(memoryBytes, dit.heads) / frameTokens - tokenFrames(0, dit.framePackBuckets)) * 4;
}
