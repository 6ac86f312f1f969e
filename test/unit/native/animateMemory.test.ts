import { describe, expect, it } from 'vitest';
import { animateGeometry } from '../../../native/animate/animateConditions';
import { checkAttentionFits, ditAttentionBytes } from '../../../native/animate/attentionMemory';
import type { AnimateJob } from '../../../common/animate/animateJob';

const GB = 2 ** 30;
const geometry = (width: number, height: number, clipLen = 77) => animateGeometry({ width, height, clipLen } as AnimateJob);

describe("the DiT attention's memory", () => {
  it('is the scores and their softmax over (latent frames + 1) x h/2 x w/2 tokens: 6.2 GiB for 2 heads at 576x432 (the worker measured 6.7 GiB there)', () => {
    const tokens = 21 * 27 * 36;
    expect(ditAttentionBytes(geometry(576, 432), 2)).toBe(2 * 2 * tokens * tokens * 4);
    expect(ditAttentionBytes(geometry(576, 432), 2) / GB).toBeCloseTo(6.2, 1);
  });

  it('a size that fits passes; the default 1104x832 on a 23 GB computer is refused before any work, naming Width and Height and a size that fits', () => {
    expect(() => checkAttentionFits(geometry(576, 432), 2, 23 * GB)).not.toThrow();
    expect(() => checkAttentionFits(geometry(1104, 832), 2, 23 * GB)).toThrow(
      /^Width and Height 1104x832 need about 85 GB for the model's attention over a clip of 77 frames; this computer has 23 GB\. Choose a smaller Width and Height \(at most about [\d,]+ pixels per frame, e\.g\. \d+x\d+\) or render in the cloud\.$/,
    );
  });

  it('the size it suggests does fit', () => {
    const message = (() => {
      try {
        checkAttentionFits(geometry(1104, 832), 40, 64 * GB);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    const [, w, h] = /e\.g\. (\d+)x(\d+)/.exec(message)!;
    expect(() => checkAttentionFits(geometry(Number(w), Number(h)), 40, 64 * GB)).not.toThrow();
  });
});
