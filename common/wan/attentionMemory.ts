import type { DitAttention } from '../pack/packManifest2';

/** What a pack says about its DiT's attention (manifest dit.heads and dit.attention). */
export interface DitAttentionSpec {
  heads: number;
  attention: DitAttention;
}

/**
 * Bytes the DiT's self-attention holds at once over `tokens` tokens when the graph computes it as
 * MatMul + Softmax (a "matmul" pack): the scores and their softmax, float32 [heads, L, L], live
 * together. It grows with the square of the frame area and of the clip length, and is then by far the
 * largest buffer of a render (docs/animate-local.md, "Memory"). A "multihead" pack runs flash
 * attention, whose memory is linear in L: it is not counted here.
 */
export function attentionBytes(tokens: number, dit: DitAttentionSpec): number {
  if (dit.attention === 'multihead') return 0;
  return 2 * dit.heads * tokens * tokens * 4;
}

/** The most tokens whose MatMul attention fits in `memoryBytes`. */
export function maxAttentionTokens(memoryBytes: number, heads: number): number {
  return Math.sqrt(memoryBytes / (2 * heads * 4));
}

/** How the refusals end: the limit belongs to packs from older exporters. */
export const OLDER_EXPORTER =
  'This model pack was made by an older exporter; a pack exported again with the current one (wan-export 0.2) computes attention without this limit.';
