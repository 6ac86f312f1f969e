import { clipAudioRows } from './audioFrames';
import type { ClipConditions } from './s2vDit';
import type { S2vPack } from './s2vPack';
import { ropeTables } from './ropeTables';
import { f32, type Tensor } from '../wan/tensors';
import type { AudioRows } from './wholeAudio';

export interface ClipGeometry {
  /** Frames per clip (F) and latent frames (F / 4). */
  F: number;
  LT: number;
  /** Latent height and width (pixels / 8). */
  h: number;
  w: number;
}

/**
 * Everything clip r's DiT calls share: its audio rows (bucket frames r*F .. (r+1)*F - 1, zeros for
 * the unconditional branch), zero pose latents (no pose video), the reference and motion latents,
 * and the RoPE tables, without the motion tokens when the clip drops them (clip 0, as official).
 */
export function clipConditions(
  pack: S2vPack,
  clip: number,
  g: ClipGeometry,
  prompts: { context: Tensor; negContext: Tensor | null },
  audio: AudioRows,
  latents: { ref: Float32Array; motion: Float32Array },
): ClipConditions {
  const m = pack.manifest;
  const { F, LT, h, w } = g;
  const rows = clipAudioRows(audio, audio.dim, clip, F, m.audio);
  const dropMotion = clip === 0;
  const rope = ropeTables(LT, h, w, m.dit, !dropMotion);
  return {
    ...prompts,
    audio: { cond: f32(rows, [1, F, audio.dim]), uncond: f32(new Float32Array(rows.length), [1, F, audio.dim]) },
    pose: f32(new Float32Array(16 * LT * h * w), [1, 16, LT, h, w]),
    ref: f32(latents.ref, [1, 16, 1, h, w]),
    motion: f32(latents.motion, [1, 16, m.dit.motionLatents, h, w]),
    ropeCos: f32(rope.cos, [rope.seq, rope.pairs]),
    ropeSin: f32(rope.sin, [rope.seq, rope.pairs]),
  };
}
