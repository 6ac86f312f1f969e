import { describe, expect, it } from 'vitest';
import { attentionProblem, ditAttentionBytes } from '../../../common/animate/attentionMemory';
import { animateManifest2Schema } from '../../../common/pack/animateManifest2';

const GB = 2 ** 30;
const shape = (width: number, height: number, clipLen = 77) => ({ width, height, clipLen });
const matmul = (heads: number) => ({ heads, attention: 'matmul' as const });
const multihead = (heads: number) => ({ heads, attention: 'multihead' as const });

describe("the DiT attention's memory, for a pack made by an older exporter (MatMul + Softmax)", () => {
  it('is the scores and their softmax over (latent frames + 1) x H/16 x W/16 tokens: 6.2 GiB for 2 heads at 576x432 (the worker measured 6.7 GiB there)', () => {
    const tokens = 21 * 27 * 36;
    expect(ditAttentionBytes(shape(576, 432), matmul(2))).toBe(2 * 2 * tokens * tokens * 4);
    expect(ditAttentionBytes(shape(576, 432), matmul(2)) / GB).toBeCloseTo(6.2, 1);
  });

  it('a size that fits passes; the default 1104x832 on a 23 GB computer is refused, naming Width and Height, a size that fits and the re-export that lifts the limit', () => {
    expect(attentionProblem(shape(576, 432), matmul(2), 23 * GB)).toBeNull();
    expect(attentionProblem(shape(1104, 832), matmul(2), 23 * GB)).toMatch(
      /^Width and Height 1104x832 need about 85 GB for the model's attention over a clip of 77 frames; this computer has 23 GB\. Choose a smaller Width and Height \(at most about [\d,]+ pixels per frame, e\.g\. \d+x\d+\) or render in the cloud\. This model pack was made by an older exporter; a pack exported again with the current one \(wan-export 0\.2\) computes attention without this limit\.$/,
    );
  });

  it('the size it suggests does fit', () => {
    const message = attentionProblem(shape(1104, 832), matmul(40), 64 * GB) ?? '';
    const [, w, h] = /e\.g\. (\d+)x(\d+)/.exec(message)!;
    expect(attentionProblem(shape(Number(w), Number(h)), matmul(40), 64 * GB)).toBeNull();
  });
});

describe("the DiT attention's memory, for a pack whose attention is one MultiHeadAttention node (wan-export 0.2)", () => {
  it('holds no [heads, L, L] buffer, so no frame size is refused for it: 720p with the real 40 heads on a 16 GB computer', () => {
    expect(ditAttentionBytes(shape(1280, 720), multihead(40))).toBe(0);
    expect(attentionProblem(shape(1280, 720), multihead(40), 16 * GB)).toBeNull();
    expect(attentionProblem(shape(1104, 832), multihead(2), 1 * GB)).toBeNull();
  });

  it("a manifest without dit.attention (a pack made before the field) is read as MatMul attention; the exporter's value is kept", () => {
    const dit = { dim: 64, heads: 2, layers: 10, textDim: 32, textLength: 512, clipTokens: 257, clipDim: 32, faceAdapterEvery: 5, ropeTheta: 10000, ropePairs: [6, 5, 5], loraRank: 4 };
    const ditSchema = animateManifest2Schema.shape.dit;
    expect(ditSchema.parse(dit).attention).toBe('matmul');
    expect(ditSchema.parse({ ...dit, attention: 'multihead' }).attention).toBe('multihead');
    expect(ditSchema.safeParse({ ...dit, attention: 'flash' }).success).toBe(false);
  });
});
