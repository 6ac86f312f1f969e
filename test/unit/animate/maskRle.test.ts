import { describe, expect, it } from 'vitest';
import { decodeRuns, encodeRuns } from '../../../common/animate/maskRle';

describe('mask run lengths', () => {
  it('round-trip any mask, zeros first', () => {
    expect(encodeRuns(new Uint8Array([1, 1, 0, 0, 0, 1]))).toEqual([0, 2, 3, 1]);
    expect(encodeRuns(new Uint8Array([0, 0]))).toEqual([2]);
    let seed = 7;
    for (let n = 0; n < 50; n++) {
      const data = new Uint8Array(500).map(() => ((seed = (seed * 48271) % 2147483647) % 5 === 0 ? 1 : 0));
      expect(Array.from(decodeRuns(encodeRuns(data), data.length))).toEqual(Array.from(data));
    }
  });
});
