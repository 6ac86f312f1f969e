import { describe, expect, it } from 'vitest';
import { attentionProblem, ditAttentionBytes } from '../../../common/animate/attentionMemory';

const GB = 2 ** 30;
const shape = (width: number, height: number, clipLen = 77) => ({ width, height, clipLen });

describe("the DiT attention's memory", () => {
  it('is the scores and their softmax over (latent frames + 1) x H/16 x W/16 tokens: 6.2 GiB for 2 heads at 576x432 (the worker measured 6.7 GiB there)', () => {
    const tokens = 21 * 27 * 36;
    expect(ditAttentionBytes(shape(576, 432), 2)).toBe(2 * 2 * tokens * tokens * 4);
    expect(ditAttentionBytes(shape(576, 432), 2) / GB).toBeCloseTo(6.2, 1);
  });

  it('a size that fits passes; the default 1104x832 on a 23 GB computer is refused, naming Width and Height and a size that fits', () => {
    expect(attentionProblem(shape(576, 432), 2, 23 * GB)).toBeNull();
    expect(attentionProblem(shape(1104, 832), 2, 23 * GB)).toMatch(
      /^Width and Height 1104x832 need about 85 GB for the model's attention over a clip of 77 frames; this computer has 23 GB\. Choose a smaller Width and Height \(at most about [\d,]+ pixels per frame, e\.g\. \d+x\d+\) or render in the cloud\.$/,
    );
  });

  it('the size it suggests does fit', () => {
    const message = attentionProblem(shape(1104, 832), 40, 64 * GB) ?? '';
    const [, w, h] = /e\.g\. (\d+)x(\d+)/.exec(message)!;
    expect(attentionProblem(shape(Number(w), Number(h)), 40, 64 * GB)).toBeNull();
  });
});
