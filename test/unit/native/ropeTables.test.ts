import { describe, expect, it } from 'vitest';
import { linspace, ropeTables, tokenPositions } from '../../../native/s2v/ropeTables';

const official = { ropePairs: [22, 21, 21], ropeTheta: 10000, refTimeIndex: 30, framePackBuckets: [1, 2, 16] } as const;

describe('format 2 RoPE tables (docs/model-pack.md "RoPE tables")', () => {
  it('linspace matches numpy, including the exact last value', () => {
    expect(linspace(0, 3, 4)).toEqual([0, 1, 2, 3]);
    expect(linspace(19, 4, 4)).toEqual([19, 14, 9, 4]);
    expect(linspace(0, 7, 2)).toEqual([0, 7]);
    expect(linspace(0, 7, 1)).toEqual([0]);
  });

  it('orders noisy, reference, then motion tokens with the official time indices and spaced positions', () => {
    // lh 16, lw 8 -> 8 x 4 tokens per latent frame.
    const pos = tokenPositions(2, 16, 8, official, true);
    // noisy 2*8*4 = 64, ref 32, motion 1x2x2: 32, 2x4x4: 4*2 = 8, 4x8x8: 4 times * 2 * 1 = 8
    expect(pos.length).toBe(64 + 32 + 32 + 8 + 8);
    expect(pos[0]).toEqual([0, 0, 0]);
    expect(pos[63]).toEqual([1, 7, 3]);
    expect(pos[64]).toEqual([30, 0, 0]);
    expect(pos[96]).toEqual([-1, 0, 0]);
    // 2x4x4: y = floor(linspace(0, 7, 4)) = 0, 2, 4, 7; x = floor(linspace(0, 3, 2)) = 0, 3
    expect(pos.slice(128, 136)).toEqual([[-3, 0, 0], [-3, 0, 3], [-3, 2, 0], [-3, 2, 3], [-3, 4, 0], [-3, 4, 3], [-3, 7, 0], [-3, 7, 3]]);
    // 4x8x8: times -19, -14, -9, -4; y = floor(linspace(0, 7, 2)) = 0, 7; x = linspace(0, 3, 1) = 0
    expect(pos.slice(136).map((p) => p.join(','))).toEqual(['-19,0,0', '-19,7,0', '-14,0,0', '-14,7,0', '-9,0,0', '-9,7,0', '-4,0,0', '-4,7,0']);
    // Clip 0 drops the motion tokens.
    expect(tokenPositions(2, 16, 8, official, false).length).toBe(96);
  });

  it('gives cos/sin rows of head_dim / 2 with time, height, width pairs at theta^(-2j/d)', () => {
    const t = ropeTables(1, 4, 4, official, false);
    expect(t.pairs).toBe(64);
    expect(t.seq).toBe(4 + 4);
    expect(t.cos.length).toBe(8 * 64);
    // token 3 = (0, 1, 1): time pairs angle 0; height pair j angle 10000^(-2j/42)
    const row = 3 * 64;
    expect(t.cos[row]).toBe(1);
    expect(t.sin[row + 21]).toBe(0);
    expect(t.cos[row + 22]).toBeCloseTo(Math.cos(1), 7);
    expect(t.sin[row + 23]).toBeCloseTo(Math.sin(10000 ** (-2 / 42)), 7);
    expect(t.sin[row + 43]).toBeCloseTo(Math.sin(1), 7);
    // reference token 4 = (30, 0, 0): time pair 1 angle 30 * 10000^(-2/44)
    expect(t.sin[4 * 64 + 1]).toBeCloseTo(Math.sin(30 * 10000 ** (-2 / 44)), 6);
    expect(t.cos[4 * 64 + 22]).toBe(1);
  });
});
