/** One axis of cv2.resize INTER_LINEAR: per output index, the two source indices it mixes and the second one's weight. */
export interface LinearAxis {
  i0: Int32Array;
  i1: Int32Array;
  w: Float64Array;
}

/**
 * The sampling table from `src` to `dst` samples with half-pixel centres and clamped edges, as
 * cv2.resize INTER_LINEAR places them. Built once per resize, so the per-pixel loops only mix.
 */
export function linearAxis(src: number, dst: number): LinearAxis {
  const scale = src / dst;
  const axis = { i0: new Int32Array(dst), i1: new Int32Array(dst), w: new Float64Array(dst) };
  for (let d = 0; d < dst; d++) {
    const f = Math.min(Math.max((d + 0.5) * scale - 0.5, 0), src - 1);
    const i0 = Math.floor(f);
    axis.i0[d] = i0;
    axis.i1[d] = Math.min(i0 + 1, src - 1);
    axis.w[d] = f - i0;
  }
  return axis;
}
