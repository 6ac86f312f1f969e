import { roundHalfEven } from '../../common/wan/numpyRound';

/**
 * From whole-file audio features (featureRate rows a second, the audio encoder's output) to the
 * rows the DiT takes per video frame, as the official S2V pipeline does (docs/model-pack.md,
 * "Format 2: audio"; research/wan-export.md rows 3-4): linear interpolation to videoRate
 * (align_corners, length int(T * videoRate / featureRate)), video frame k takes row
 * round_half_even(k * videoRate / fps), rows past the end are zeros, clip r takes frames
 * r*F .. (r+1)*F - 1.
 */
export interface AudioRates {
  featureRate: number;
  videoRate: number;
  fps: number;
}

/** Rows at videoRate from `rows` rows of width `dim` at featureRate; linear, align_corners. */
export function resampleFeatures(features: Float32Array, rows: number, dim: number, rates: AudioRates): { data: Float32Array; rows: number } {
  // Python: int(T50 * 0.6); the same float64 product truncated.
  const outRows = Math.trunc(rows * (rates.videoRate / rates.featureRate));
  const out = new Float32Array(outRows * dim);
  const scale = outRows > 1 ? (rows - 1) / (outRows - 1) : 0;
  for (let i = 0; i < outRows; i++) {
    const pos = i * scale;
    const lo = Math.min(Math.floor(pos), rows - 1);
    const hi = Math.min(lo + 1, rows - 1);
    const w = pos - lo;
    for (let c = 0; c < dim; c++) out[i * dim + c] = features[lo * dim + c]! * (1 - w) + features[hi * dim + c]! * w;
  }
  return { data: out, rows: outRows };
}

/** The videoRate row video frame k takes. */
export function frameRow(k: number, rates: AudioRates): number {
  return roundHalfEven((k * rates.videoRate) / rates.fps);
}

/** Audio [F, dim] for clip r (frames r*F .. (r+1)*F - 1) from the resampled rows; zeros past the end. */
export function clipAudioRows(resampled: { data: Float32Array; rows: number }, dim: number, clip: number, F: number, rates: AudioRates): Float32Array {
  const out = new Float32Array(F * dim);
  for (let j = 0; j < F; j++) {
    const row = frameRow(clip * F + j, rates);
    if (row < resampled.rows) out.set(resampled.data.subarray(row * dim, (row + 1) * dim), j * dim);
  }
  return out;
}
