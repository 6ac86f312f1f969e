import type { DitAttention } from '../pack/packManifest2';

const GB = 2 ** 30;

/** What a pack says about its DiT's attention (manifest dit.heads and dit.attention). */
export interface DitAttentionSpec {
  heads: number;
  attention: DitAttention;
}

/** What the attention's size depends on: the processing frame size and the clip length. */
export interface AttentionShape {
  width: number;
  height: number;
  clipLen: number;
}

const tokensOf = (s: AttentionShape): number => ((s.clipLen - 1) / 4 + 2) * (s.height / 16) * (s.width / 16);

/**
 * Bytes the DiT's self-attention holds at once for one clip when the graph computes it as MatMul +
 * Softmax (a "matmul" pack): the scores and their softmax, float32 [heads, L, L], live together, with
 * L = (latent frames + 1) x (H/16) x (W/16) tokens. It grows with the square of the frame area and of
 * the clip length, and is then by far the largest buffer of a render (docs/animate-local.md, "Memory").
 * A "multihead" pack runs flash attention, whose memory is linear in L: it is not counted here.
 */
export function ditAttentionBytes(s: AttentionShape, dit: DitAttentionSpec): number {
  if (dit.attention === 'multihead') return 0;
  const tokens = tokensOf(s);
  return 2 * dit.heads * tokens * tokens * 4;
}

/**
 * Why a frame size cannot render on this computer (its attention alone would not fit in memory), or
 * null. Main asks before preparing the inputs, the worker again before encoding: ONNX Runtime would
 * otherwise fail the first sampling step after minutes of work.
 */
export function attentionProblem(s: AttentionShape, dit: DitAttentionSpec, memoryBytes: number): string | null {
  const need = ditAttentionBytes(s, dit);
  if (need <= memoryBytes) return null;
  const heads = dit.heads;
  const latentsPlusOne = (s.clipLen - 1) / 4 + 2;
  // The largest frame area (pixels) whose attention fits, at the same clip length.
  const maxArea = Math.floor(Math.sqrt(memoryBytes / (2 * heads * 4)) / latentsPlusOne) * 256;
  return (
    `Width and Height ${s.width}x${s.height} need about ${(need / GB).toFixed(0)} GB for the model's attention over a clip of ${s.clipLen} frames; this computer has ${(memoryBytes / GB).toFixed(0)} GB. ` +
    `Choose a smaller Width and Height (at most about ${maxArea.toLocaleString('en-US')} pixels per frame, e.g. ${exampleSize(maxArea, s.width / s.height)}) or render in the cloud. ` +
    'This model pack was made by an older exporter; a pack exported again with the current one (wan-export 0.2) computes attention without this limit.'
  );
}

/** A size of about `area` pixels at the frame's aspect ratio, both sides multiples of 16. */
function exampleSize(area: number, aspect: number): string {
  const h = Math.max(16, Math.floor(Math.sqrt(area / aspect) / 16) * 16);
  const w = Math.max(16, Math.floor(area / h / 16) * 16);
  return `${w}x${h}`;
}
