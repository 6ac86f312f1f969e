/**
 * The S2V DiT's RoPE tables for format 2 (docs/model-pack.md, "RoPE tables"): angles in float64,
 * cos and sin passed as float32 [seq, head_dim / 2]. Token order: noisy latents (t, y, x from 0),
 * the reference (time refTimeIndex), then, unless clip 0 drops them, the FramePack motion tokens
 * 1x2x2 (time -1), 2x4x4 (time -(b1 + b2)) and 4x8x8 (times -linspace(b1+b2+b4, b1+b2+1, b4/4)).
 */
export interface RopeGeometry {
  /** Pairs per head for time, height and width (the manifest's dit.ropePairs). */
  ropePairs: readonly [number, number, number];
  ropeTheta: number;
  refTimeIndex: number;
  framePackBuckets: readonly [number, number, number];
}

export interface RopeTables {
  cos: Float32Array;
  sin: Float32Array;
  seq: number;
  /** head_dim / 2: the row width. */
  pairs: number;
}

/** np.linspace(start, stop, num) as numpy computes it (i * step + start, the last value exact). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const spaced = (k: number, n: number) => linspace(0, n - 1, k).map(Math.trunc);

/** (t, y, x) per token in the DiT's order; lh, lw are the latent height and width (pixels / 8). */
export function tokenPositions(latentFrames: number, lh: number, lw: number, g: RopeGeometry, withMotion: boolean): Array<[number, number, number]> {
  const h2 = Math.trunc(lh / 2);
  const w2 = Math.trunc(lw / 2);
  const out: Array<[number, number, number]> = [];
  const grid = (ts: number[], ys: number[], xs: number[]) => {
    for (const t of ts) for (const y of ys) for (const x of xs) out.push([t, y, x]);
  };
  grid(range(latentFrames), range(h2), range(w2));
  grid([g.refTimeIndex], range(h2), range(w2));
  if (withMotion) {
    const [b1, b2, b4] = g.framePackBuckets;
    grid([-1], range(h2), range(w2));
    grid([-(b1 + b2)], spaced(Math.trunc(lh / 4), h2), spaced(Math.trunc(lw / 4), w2));
    const oldest = b1 + b2 + b4;
    grid(linspace(oldest, oldest - b4 + 1, Math.trunc(b4 / 4)).map((t) => -Math.trunc(t)), spaced(Math.trunc(lh / 8), h2), spaced(Math.trunc(lw / 8), w2));
  }
  return out;
}

/** Frequencies theta^(-2j / d) for the j-th pair of a group of `pairs` pairs (d = 2 * pairs). */
function frequencies(pairs: number, theta: number): number[] {
  return range(pairs).map((j) => theta ** (-(2 * j) / (2 * pairs)));
}

export function ropeTables(latentFrames: number, lh: number, lw: number, g: RopeGeometry, withMotion: boolean): RopeTables {
  const positions = tokenPositions(latentFrames, lh, lw, g, withMotion);
  const freqs = g.ropePairs.map((p) => frequencies(p, g.ropeTheta));
  const pairs = g.ropePairs[0] + g.ropePairs[1] + g.ropePairs[2];
  const cos = new Float32Array(positions.length * pairs);
  const sin = new Float32Array(positions.length * pairs);
  positions.forEach((pos, s) => {
    let p = s * pairs;
    for (let axis = 0; axis < 3; axis++) {
      for (const f of freqs[axis]!) {
        const angle = pos[axis]! * f;
        cos[p] = Math.cos(angle);
        sin[p++] = Math.sin(angle);
      }
    }
  });
  return { cos, sin, seq: positions.length, pairs };
}
