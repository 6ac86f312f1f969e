/**
 * Wan's 3-axis RoPE as format 2 passes it to a DiT graph (docs/model-pack.md, "RoPE tables"): per
 * token a (t, y, x) position, per axis `ropePairs` frequencies theta^(-2j / d), angles in float64,
 * cos and sin as float32 [seq, pairs] rows (time pairs, then height, then width).
 */
export interface RopeAxes {
  ropePairs: readonly [number, number, number];
  ropeTheta: number;
}

export interface RopeTables {
  cos: Float32Array;
  sin: Float32Array;
  seq: number;
  /** head_dim / 2: the row width. */
  pairs: number;
}

export type Position = [t: number, y: number, x: number];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Frequencies theta^(-2j / d) for the j-th pair of a group of `pairs` pairs (d = 2 * pairs). */
function frequencies(pairs: number, theta: number): number[] {
  return range(pairs).map((j) => theta ** (-(2 * j) / (2 * pairs)));
}

/** Positions of a t x y x x grid in the DiT's token order (t slowest, x fastest). */
export function gridPositions(ts: readonly number[], ys: readonly number[], xs: readonly number[], into: Position[] = []): Position[] {
  for (const t of ts) for (const y of ys) for (const x of xs) into.push([t, y, x]);
  return into;
}

/** The plain grid over `frames` latent frames of lh x lw latents (tokens are 2 x 2 latents). */
export const latentGrid = (frames: number, lh: number, lw: number): Position[] => gridPositions(range(frames), range(Math.trunc(lh / 2)), range(Math.trunc(lw / 2)));

export function ropeTablesOf(positions: readonly Position[], g: RopeAxes): RopeTables {
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
