/**
 * Bytes crossing the ONNX Runtime boundary for one DiT call of one CFG branch in format 2
 * (docs/model-pack.md): every input fed from the host and every output returned to it (ORT for Node
 * returns outputs on the host). All tensors are float32. Used to check the measured traffic at the
 * tiny config and to extrapolate it to the 14B shapes.
 */
export interface DitShapes {
  /** The DiT width, text width, audio feature width, RoPE pairs per head (head_dim / 2). */
  dim: number;
  textDim: number;
  textLength: number;
  audioDim: number;
  pairs: number;
  motionLatents: number;
}

export interface ClipShapes {
  /** Frames per clip, latent frames and latent height/width. */
  F: number;
  LT: number;
  lh: number;
  lw: number;
  withMotion: boolean;
}

export function tokens(c: ClipShapes): number {
  const n = c.LT * (c.lh / 2) * (c.lw / 2);
  const r = (c.lh / 2) * (c.lw / 2);
  const m = c.withMotion ? r + (c.lh / 4) * (c.lw / 4) + 4 * (c.lh / 8) * (c.lw / 8) : 0;
  return n + r + m;
}

/** Bytes per call: full (dit_first_block + dit_rest) or a cache hit (dit_first_block + dit_head). */
export function ditCallBytes(d: DitShapes, c: ClipShapes): { full: number; hit: number; hidden: number } {
  const seq = tokens(c);
  const latent = 16 * c.LT * c.lh * c.lw;
  const hidden = seq * d.dim;
  const conditioning = 1 + d.textLength * d.textDim + c.F * d.audioDim + 2 * seq * d.pairs;
  const first = 2 * latent + 16 * c.lh * c.lw + 16 * d.motionLatents * c.lh * c.lw + conditioning + 2 * hidden;
  const rest = hidden + latent + conditioning + latent + hidden;
  const head = hidden + latent + 1 + latent;
  return { full: 4 * (first + rest), hit: 4 * (first + head), hidden: 4 * hidden };
}
