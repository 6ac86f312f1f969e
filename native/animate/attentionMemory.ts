import type { AnimateGeometry } from './animateConditions';

const GB = 2 ** 30;

/**
 * Bytes the DiT's self-attention holds at once for one clip: the exported graph computes it as
 * MatMul + Softmax, so the scores and their softmax, float32 [heads, L, L], live together, with
 * L = (latent frames + 1) x (h/2) x (w/2) tokens. It grows with the square of the frame area and
 * of the clip length, and is by far the largest buffer of a render (docs/animate-local.md, "Memory").
 */
export function ditAttentionBytes(g: AnimateGeometry, heads: number): number {
  const tokens = (g.latT + 1) * (g.h / 2) * (g.w / 2);
  return 2 * heads * tokens * tokens * 4;
}

/**
 * Refuses, before any encoding, a frame size whose attention alone would not fit in this
 * computer's memory: ONNX Runtime would fail its first sampling step after minutes of work.
 */
export function checkAttentionFits(g: AnimateGeometry, heads: number, memoryBytes: number): void {
  const need = ditAttentionBytes(g, heads);
  if (need <= memoryBytes) return;
  // The largest frame area (pixels) whose attention fits, at the same clip length.
  const maxArea = Math.floor(Math.sqrt(memoryBytes / (2 * heads * 4)) / (g.latT + 1)) * 256;
  throw new Error(
    `Width and Height ${g.W}x${g.H} need about ${(need / GB).toFixed(0)} GB for the model's attention over a clip of ${g.T} frames; this computer has ${(memoryBytes / GB).toFixed(0)} GB. ` +
      `Choose a smaller Width and Height (at most about ${maxArea.toLocaleString('en-US')} pixels per frame, e.g. ${exampleSize(maxArea, g.W / g.H)}) or render in the cloud.`,
  );
}

/** A size of about `area` pixels at the frame's aspect ratio, both sides multiples of 16. */
function exampleSize(area: number, aspect: number): string {
  const h = Math.max(16, Math.floor(Math.sqrt(area / aspect) / 16) * 16);
  const w = Math.max(16, Math.floor((area / h) / 16) * 16);
  return `${w}x${h}`;
}
