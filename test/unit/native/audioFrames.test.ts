import { describe, expect, it } from 'vitest';
import { roundHalfEven } from '../../../common/wan/numpyRound';
import { clipAudioRows, frameRow, resampleFeatures } from '../../../native/s2v/audioFrames';

const rates = { featureRate: 50, videoRate: 30, fps: 16 };

describe('format 2 audio rows per video frame (research/wan-export.md rows 3-4)', () => {
  it('resamples 50 -> 30 Hz linearly with align_corners to int(T * 0.6) rows', () => {
    // 6 rows at 50 Hz, value = row index: int(3.6) = 3 rows at positions 0, 2.5, 5.
    const r = resampleFeatures(Float32Array.from([0, 1, 2, 3, 4, 5]), 6, 1, rates);
    expect(r.rows).toBe(3);
    expect([...r.data]).toEqual([0, 2.5, 5]);
    // Two channels interpolate independently; 11 rows -> int(6.6) = 6 rows, step 10/5 = 2.
    const two = Float32Array.from(Array.from({ length: 22 }, (_, i) => (i % 2 === 0 ? i / 2 : -i)));
    const r2 = resampleFeatures(two, 11, 2, rates);
    expect(r2.rows).toBe(6);
    expect([...r2.data.filter((_, i) => i % 2 === 0)]).toEqual([0, 2, 4, 6, 8, 10]);
    expect([...r2.data.filter((_, i) => i % 2 === 1)]).toEqual([-1, -5, -9, -13, -17, -21]);
    // A single row gives int(0.6) = 0 rows, as the official length does; two give one.
    expect(resampleFeatures(Float32Array.from([7]), 1, 1, rates).rows).toBe(0);
    expect([...resampleFeatures(Float32Array.from([7, 9]), 2, 1, rates).data]).toEqual([7]);
  });

  it('rounds halves to even as numpy does', () => {
    expect([0.5, 1.5, 2.5, 3.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 4, -2, 2, 3]);
  });

  it('video frame k takes 30 Hz row round_half_even(k * 30 / 16)', () => {
    // k * 1.875: 0, 1.875, 3.75, 5.625, 7.5 (-> 8, even), 9.375, 11.25, 13.125, 15; k = 12: 22.5 (-> 22, even)
    expect(Array.from({ length: 9 }, (_, k) => frameRow(k, rates))).toEqual([0, 2, 4, 6, 8, 9, 11, 13, 15]);
    expect(frameRow(12, rates)).toBe(22);
    expect(frameRow(20, rates)).toBe(38); // 37.5 -> 38 (even)
  });

  it('clip r takes frames r*F .. (r+1)*F - 1 and zeros past the last row', () => {
    const resampled = { data: Float32Array.from(Array.from({ length: 10 }, (_, i) => i + 1)), rows: 10 };
    expect([...clipAudioRows(resampled, 1, 0, 4, rates)]).toEqual([1, 3, 5, 7]);
    // frames 4..7 -> rows 8, 9, 11, 13: two past the end are silence.
    expect([...clipAudioRows(resampled, 1, 1, 4, rates)]).toEqual([9, 10, 0, 0]);
  });
});
