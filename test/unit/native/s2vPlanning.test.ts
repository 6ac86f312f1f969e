import { describe, expect, it } from 'vitest';
import { planClips } from '../../../native/s2v/clipPlan';
import { FirstBlockCache } from '../../../native/s2v/firstBlockCache';
import { tokenize } from '../../../native/s2v/tokenizer';
import { S2V_AREAS, s2vTargetSize } from '../../../common/s2v/s2vSize';

describe('S2V output size (research/wan22.md §1.2 table)', () => {
  it.each([
    [1080, 1920, 1280 * 720, 704, 1280],
    [720, 1280, 1280 * 720, 704, 1280],
    [1920, 1080, 1280 * 720, 1280, 704],
    [1024, 1024, 1280 * 720, 960, 960],
    [768, 1024, 1280 * 720, 768, 1024],
    [480, 832, 1280 * 720, 512, 832],
    [1080, 1920, 1024 * 704, 640, 1088],
    [1024, 1024, 1024 * 704, 832, 832],
    [768, 1024, 1024 * 704, 704, 960],
    [1080, 1920, 832 * 480, 448, 832],
    [1024, 1024, 832 * 480, 576, 576],
    [768, 1024, 832 * 480, 512, 704],
    [480, 832, 832 * 480, 448, 832],
  ])('%ix%i (h x w) in %i px -> %ix%i', (h, w, area, eh, ew) => {
    expect(s2vTargetSize(h, w, area)).toEqual({ height: eh, width: ew });
  });
  it('small portraits are not upscaled, only rounded up to 64', () => {
    expect(s2vTargetSize(320, 240, S2V_AREAS['480p'])).toEqual({ height: 320, width: 256 });
  });
});

describe('clips cover the audio and never fall short of it', () => {
  it('Wan\'s worked example: 80-frame clips, the first 3 frames shorter', () => {
    const p = planClips(5, 16, 80);
    expect(p.clips).toBe(2); // 80 frames needed, 77 in the first clip
    expect(p.framesOf(0)).toBe(77);
    expect(p.totalFrames).toBe(157);
    expect(planClips(4.8, 16, 80).clips).toBe(1);
  });
  it('any length: the frames cover the audio, and one clip fewer would not', () => {
    for (const sec of [0.5, 1, 2.2, 7.9, 60, 120]) {
      for (const chunk of [16, 33, 81, 161]) {
        const p = planClips(sec, 16, chunk);
        expect(p.framesPerClip % 4).toBe(0);
        expect(p.totalFrames).toBeGreaterThanOrEqual(Math.ceil(sec * 16));
        expect(p.totalFrames - p.framesPerClip).toBeLessThan(Math.ceil(sec * 16));
        expect(p.startOf(p.clips - 1) + p.framesOf(p.clips - 1)).toBe(p.totalFrames);
      }
    }
  });
});

describe('first block cache', () => {
  it('reuses the rest only when block 0 barely changed, measured against the last full step', () => {
    const cache = new FirstBlockCache(0.05);
    const r0 = Float32Array.from([1, 2, 3, 4]);
    expect(cache.shouldReuse(r0)).toBe(false); // nothing cached yet
    cache.store(r0, Float32Array.from([0, 0, 0, 0]), Float32Array.from([1, 1, 1, 1]));
    expect(cache.shouldReuse(Float32Array.from([1.01, 2, 3, 4]))).toBe(true);
    expect([...cache.reuse(Float32Array.from([5, 5, 5, 5]))]).toEqual([6, 6, 6, 6]);
    expect(cache.shouldReuse(Float32Array.from([2, 2, 3, 4]))).toBe(false); // 10% change
    expect(new FirstBlockCache(0).shouldReuse(r0)).toBe(false);
    expect(cache.hits).toBe(1);
    expect(cache.misses).toBe(1);
  });
});

describe('byte tokenizer', () => {
  it('bos, UTF-8 bytes + 3, eos, zero padding, truncated to the length', () => {
    expect([...tokenize('hé', 8)].map(Number)).toEqual([1, 107, 198, 172, 2, 0, 0, 0]);
    expect([...tokenize('a'.repeat(20), 4)].map(Number)).toEqual([1, 100, 100, 2]);
  });
});
