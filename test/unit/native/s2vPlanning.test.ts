import { describe, expect, it } from 'vitest';
import { planClips } from '../../../native/s2v/clipPlan';
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

const rates = { videoRate: 30, fps: 16 };
/** The official count: 30 Hz rows of a file of `sec` seconds at 16 kHz (wav2vec2 frames, then int(T50 * 0.6)). */
const rows30 = (sec: number) => Math.trunc((Math.floor((sec * 16000 - 400) / 320) + 1) * 0.6);

describe('clips as the official pipeline counts them (research/wan22.md §1.3)', () => {
  it("Wan's worked examples with 80-frame clips: 5 s -> 1 clip of 77 frames, 10 s -> 2, 12 s -> 3", () => {
    const five = planClips(rows30(5), rates, 80);
    expect(rows30(5)).toBe(149);
    expect(five.clips).toBe(1);
    expect(five.framesOf(0)).toBe(77);
    expect(five.totalFrames).toBe(77);
    expect(planClips(rows30(10), rates, 80).totalFrames).toBe(157);
    expect(planClips(rows30(12), rates, 80).totalFrames).toBe(237);
  });
  it('int(N30 / (F * 30 / 16)) + 1 clips: one more even on an exact multiple', () => {
    expect(planClips(150, rates, 80).clips).toBe(2);
    expect(planClips(149, rates, 80).clips).toBe(1);
    expect(planClips(0, rates, 80).clips).toBe(1);
  });
  it('any length: frames per clip a multiple of 4, clips contiguous after the first', () => {
    for (const sec of [0.5, 1, 2.2, 7.9, 60, 120]) {
      for (const chunk of [16, 33, 81, 161]) {
        const p = planClips(rows30(sec), rates, chunk);
        expect(p.framesPerClip % 4).toBe(0);
        expect(p.framesOf(0)).toBe(p.framesPerClip - 3);
        // The last clip starts before the audio's end (at 16 fps, frame j shows bucket frame j + 3).
        expect(p.startOf(p.clips - 1) + 3).toBeLessThanOrEqual(Math.ceil((rows30(sec) * 16) / 30) + p.framesPerClip);
        expect(p.startOf(p.clips - 1) + p.framesOf(p.clips - 1)).toBe(p.totalFrames);
      }
    }
  });
});
