import { describe, expect, it } from 'vitest';
import { HiddenBlockCache } from '../../../native/s2v/hiddenBlockCache';

const f = (...v: number[]) => Float32Array.from(v);

describe('format 2 first block cache in hidden space (issue 11)', () => {
  it('never reuses before a full step, or with threshold 0', () => {
    expect(new HiddenBlockCache(0.1).shouldReuse(f(1, 2))).toBe(false);
    const off = new HiddenBlockCache(0);
    off.store(f(1, 2), f(5, 5));
    expect(off.shouldReuse(f(1, 2))).toBe(false);
  });

  it('reuses when block 0 residual moved less than the threshold (relative L1), giving h0 + R exactly', () => {
    const cache = new HiddenBlockCache(0.1);
    cache.store(f(1, -2, 3, -4), f(0.5, 0.25, -1, 2));
    // |diff| = 0.5, |ref| = 10 -> 0.05 < 0.1
    expect(cache.shouldReuse(f(1.5, -2, 3, -4))).toBe(true);
    // |diff| = 1.5 -> 0.15
    expect(cache.shouldReuse(f(1, -2, 4.5, -4))).toBe(false);
    expect([...cache.reuse(f(10, 20, 30, 40))]).toEqual([10.5, 20.25, 29, 42]);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
  });

  it('compares against the last full step only (reference updated on misses), and keeps copies', () => {
    const cache = new HiddenBlockCache(0.1);
    const first = f(10, 10);
    const rest = f(1, 1);
    cache.store(first, rest);
    first[0] = 0;
    rest[0] = 100;
    expect(cache.shouldReuse(f(10.5, 10))).toBe(true);
    cache.reuse(f(0, 0));
    // Drift accumulates against the stored reference: 1.5 + 0.6 over 20 -> 0.105
    expect(cache.shouldReuse(f(11.5, 10.6))).toBe(false);
    cache.store(f(11.5, 10.6), f(2, 2));
    expect([...cache.reuse(f(1, 1))]).toEqual([3, 3]);
  });

  it('one instance per CFG branch: the branches keep their own residuals', () => {
    const cond = new HiddenBlockCache(0.5);
    const uncond = new HiddenBlockCache(0.5);
    cond.store(f(1), f(1));
    uncond.store(f(1), f(-1));
    expect([cond.reuse(f(0))[0], uncond.reuse(f(0))[0]]).toEqual([1, -1]);
  });
});
