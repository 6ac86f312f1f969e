import { gridPositions, ropeTablesOf, type Position, type RopeAxes, type RopeTables } from '../wan/rope';

/**
 * The S2V DiT's RoPE tables for format 2 (docs/model-pack.md, "RoPE tables"). Token order: noisy
 * latents (t, y, x from 0), the reference (time refTimeIndex), then, unless clip 0 drops them, the
 * FramePack motion tokens 1x2x2 (time -1), 2x4x4 (time -(b1 + b2)) and 4x8x8 (times
 * -linspace(b1+b2+b4, b1+b2+1, b4/4)). The tables themselves are native/wan/rope's.
 */
export interface RopeGeometry extends RopeAxes {
  refTimeIndex: number;
  framePackBuckets: readonly [number, number, number];
}

export type { RopeTables };

/** np.linspace(start, stop, num) as numpy computes it (i * step + start, the last value exact). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const spaced = (k: number, n: number) => linspace(0, n - 1, k).map(Math.trunc);

/** (t, y, x) per token in the DiT's order; lh, lw are the latent height and width (pixels / 8). */
export function tokenPositions(latentFrames: number, lh: number, lw: number, g: RopeGeometry, withMotion: boolean): Position[] {
  const h2 = Math.trunc(lh / 2);
  const w2 = Math.trunc(lw / 2);
  const out: Position[] = [];
  gridPositions(range(latentFrames), range(h2), range(w2), out);
  gridPositions([g.refTimeIndex], range(h2), range(w2), out);
  if (withMotion) {
    const [b1, b2, b4] = g.framePackBuckets;
    gridPositions([-1], range(h2), range(w2), out);
    gridPositions([-(b1 + b2)], spaced(Math.trunc(lh / 4), h2), spaced(Math.trunc(lw / 4), w2), out);
    const oldest = b1 + b2 + b4;
    gridPositions(linspace(oldest, oldest - b4 + 1, Math.trunc(b4 / 4)).map((t) => -Math.trunc(t)), spaced(Math.trunc(lh / 8), h2), spaced(Math.trunc(lw / 8), w2), out);
  }
  return out;
}

export function ropeTables(latentFrames: number, lh: number, lw: number, g: RopeGeometry, withMotion: boolean): RopeTables {
  return ropeTablesOf(tokenPositions(latentFrames, lh, lw, g, withMotion), g);
}
