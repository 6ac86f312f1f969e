import { describe, expect, it } from 'vitest';
import { clipWindows, type AnimateClip } from '../../../common/animate/clipPlan';
import { GaussianNoise } from '../../../common/random/gaussianNoise';
import { clipFrameIndices } from '../../../native/animate/clipFrames';
import { clipOutput } from '../../../native/animate/clipOutput';
import { GuideTail } from '../../../native/animate/guideTail';
import { foldI2vMask, latentKeepMask } from '../../../native/animate/i2vMask';
import { NoiseStream } from '../../../native/animate/noiseStream';
import { buildY, dropFirstLatent } from '../../../native/animate/yLatents';

/** wan/animate.py inputs_padding and get_valid_len, line for line, to hold the worker's clip windows against. */
function officialPadding<T>(array: T[], targetLen: number): T[] {
  let idx = 0;
  let flip = false;
  const out: T[] = [];
  while (out.length < targetLen) {
    out.push(array[idx]!);
    idx += flip ? -1 : 1;
    if (idx === 0 || idx === array.length - 1) flip = !flip;
  }
  return out.slice(0, targetLen);
}
function officialValidLen(realLen: number, clipLen: number, overlap: number): number {
  const real = clipLen - overlap;
  const last = (realLen - overlap) % real;
  return realLen + (last === 0 ? 0 : real - last);
}

describe('clip frame windows', () => {
  it('each clip reads the frames the official padded sequence has at its positions', () => {
    for (const [realLen, clipLen, refert] of [[10, 9, 1], [10, 9, 5], [2, 5, 1], [30, 13, 5], [77, 77, 1], [150, 77, 1], [151, 77, 5], [6, 5, 5 - 4]] as const) {
      const { targetLen, clips } = clipWindows(realLen, clipLen, refert);
      expect(targetLen).toBe(officialValidLen(realLen, clipLen, refert));
      const padded = officialPadding(Array.from({ length: realLen }, (_, i) => i), targetLen);
      for (const clip of clips) expect(clipFrameIndices(clip, realLen), `${realLen}/${clipLen}/${refert} clip ${clip.index}`).toEqual(padded.slice(clip.start, clip.end));
      // The clips' new frames tile the real length exactly once.
      expect(clips.flatMap((c) => Array.from({ length: c.outEnd - c.outStart }, (_, i) => c.outStart + i))).toEqual(Array.from({ length: realLen }, (_, i) => i));
    }
  });

  it('a short video bounces: 0 1 2 1 0 1 ...', () => {
    expect(clipFrameIndices({ start: 0, end: 9 }, 3)).toEqual([0, 1, 2, 1, 0, 1, 2, 1, 0]);
    expect(clipFrameIndices({ start: 8, end: 17 }, 10)).toEqual([8, 9, 8, 7, 6, 5, 4, 3, 2]);
  });
});

describe('the temporal guidance mask (get_i2v_mask)', () => {
  // torch, wan/animate.py get_i2v_mask(3, 1, 2, mask_len, px) with px = arange(18).view(1, 9, 1, 2) / 100.
  const px = Float32Array.from({ length: 18 }, (_, i) => i / 100);
  const torch: Record<number, number[]> = {
    0: [0.0, 0.01, 0.02, 0.03, 0.1, 0.11, 0.0, 0.01, 0.04, 0.05, 0.12, 0.13, 0.0, 0.01, 0.06, 0.07, 0.14, 0.15, 0.0, 0.01, 0.08, 0.09, 0.16, 0.17],
    1: [1.0, 1.0, 0.02, 0.03, 0.1, 0.11, 1.0, 1.0, 0.04, 0.05, 0.12, 0.13, 1.0, 1.0, 0.06, 0.07, 0.14, 0.15, 1.0, 1.0, 0.08, 0.09, 0.16, 0.17],
    5: [1.0, 1.0, 1.0, 1.0, 0.1, 0.11, 1.0, 1.0, 1.0, 1.0, 0.12, 0.13, 1.0, 1.0, 1.0, 1.0, 0.14, 0.15, 1.0, 1.0, 1.0, 1.0, 0.16, 0.17],
  };
  const zeros: Record<number, number[]> = {
    0: Array(24).fill(0),
    1: [1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0],
    5: [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0],
  };

  it('folds 9 frames into 4 channels x 3 latent frames as torch does, with and without a replacement mask', () => {
    for (const len of [0, 1, 5]) {
      const folded = Array.from(foldI2vMask(px, 9, 2, len));
      folded.forEach((v, i) => expect(v).toBeCloseTo(torch[len]![i]!, 6));
      expect(Array.from(foldI2vMask(null, 9, 2, len))).toEqual(zeros[len]);
    }
  });

  it('refuses a clip length that is not 4n+1', () => {
    expect(() => foldI2vMask(null, 8, 2, 1)).toThrow(/not 4n\+1/);
  });

  it('the replacement mask at latent size is 1 - mask / 255 at pixel (8y, 8x)', () => {
    const W = 16;
    const H = 8;
    const gray = new Uint8Array(2 * W * H);
    gray[0] = 255; // frame 0, latent (0, 0): the character
    gray[8] = 51; // frame 0, latent (0, 1): 0.8 kept
    gray[W * H + 8 + W] = 255; // frame 1, pixel (1, 8): not a sampled pixel
    expect(Array.from(latentKeepMask(gray, 2, W, H)).map((v) => +v.toFixed(4))).toEqual([0, 0.8, 1, 1]);
  });
});

describe('the DiT y input', () => {
  it('latent frame 0 is [ones x 4 | the reference latent], then [folded mask | guidance latents]', () => {
    const hw = 2;
    const latT = 2;
    const ref = Float32Array.from({ length: 16 * hw }, (_, i) => 100 + i);
    const reft = Float32Array.from({ length: 16 * latT * hw }, (_, i) => 200 + i);
    const mask = Float32Array.from({ length: 4 * latT * hw }, (_, i) => i / 10);
    const y = buildY(ref, reft, mask, latT, hw);
    const at = (c: number, t: number, p: number) => y[(c * (latT + 1) + t) * hw + p];
    expect(y.length).toBe(20 * 3 * hw);
    expect([at(0, 0, 0), at(3, 0, 1)]).toEqual([1, 1]);
    expect(at(2, 1, 1)).toBeCloseTo(mask[(2 * latT + 0) * hw + 1]!);
    expect(at(2, 2, 0)).toBeCloseTo(mask[(2 * latT + 1) * hw]!);
    expect(at(4 + 5, 0, 1)).toBe(ref[5 * hw + 1]);
    expect(at(4 + 15, 2, 1)).toBe(reft[(15 * latT + 1) * hw + 1]);
    expect(() => buildY(ref, reft, mask, 3, hw)).toThrow(/latent frames/);
  });

  it('decoding drops the reference latent (frame 0) of every channel', () => {
    const hw = 3;
    const x = Float32Array.from({ length: 16 * 4 * hw }, (_, i) => i);
    const out = dropFirstLatent(x, 4, hw);
    expect(out.length).toBe(16 * 3 * hw);
    expect(out[0]).toBe(hw); // channel 0, frame 1
    expect(out[3 * hw]).toBe(4 * hw + hw); // channel 1, frame 1
  });
});

describe('the job noise stream', () => {
  it('clip k gets the next draws of one generator seeded once; a resumed stream skips the finished clips', () => {
    const n = 16 * 3 * 4;
    const whole = new GaussianNoise(42).fill(3 * n);
    const stream = new NoiseStream(42, n);
    expect(stream.nextClip()).toEqual(whole.subarray(0, n));
    expect(stream.nextClip()).toEqual(whole.subarray(n, 2 * n));
    const resumed = new NoiseStream(42, n);
    resumed.skipClip();
    resumed.skipClip();
    expect(resumed.nextClip()).toEqual(whole.subarray(2 * n, 3 * n));
  });
});

describe('guidance frames and a clip output', () => {
  const fb = 3 * 2; // 2 pixels a frame
  const frames = (...values: number[]) => Buffer.concat(values.map((v) => Buffer.alloc(fb, v)));

  it('the tail is the last refert_num frames of the video so far, across short clips', () => {
    const tail = new GuideTail(5, fb);
    tail.push(frames(1, 2, 3));
    expect(() => tail.get()).toThrow(/needs 5 guidance frames; 3/);
    tail.push(frames(4, 5, 6, 7));
    expect(tail.get().map((f) => f[0])).toEqual([3, 4, 5, 6, 7]);
  });

  const clip = (over: Partial<AnimateClip>): AnimateClip => ({ index: 1, start: 8, end: 13, guideFrames: 1, outStart: 9, outEnd: 13, ...over });

  it('a later clip drops its guidance frames; the last clip is cut at the real length', () => {
    expect([...clipOutput(frames(9, 1, 2, 3, 4), fb, clip({}), [], false)].filter((_, i) => i % fb === 0)).toEqual([1, 2, 3, 4]);
    expect([...clipOutput(frames(9, 1, 2, 3, 4), fb, clip({ outEnd: 11 }), [], false)].filter((_, i) => i % fb === 0)).toEqual([1, 2]);
    expect([...clipOutput(frames(0, 1, 2, 3, 4), fb, clip({ index: 0, guideFrames: 0, outStart: 0, outEnd: 5 }), [], true)].filter((_, i) => i % fb === 0)).toEqual([0, 1, 2, 3, 4]);
  });

  it('with colour matching, the whole clip moves so its guidance frame matches the previous tail', () => {
    const decoded = frames(100, 100, 120);
    const out = clipOutput(decoded, fb, clip({ outEnd: 11 }), [new Uint8Array(fb).fill(80)], true);
    // The regenerated guide (100) became 80: the new frames darken alike.
    expect(out[0]).toBeLessThan(100);
    expect(out[fb]).toBeLessThan(120);
    expect(out[fb]).toBeGreaterThan(out[0]!);
  });
});
