import { describe, expect, it } from 'vitest';
import { s2vAttentionBytes, s2vAttentionProblem } from '../../../common/s2v/attentionMemory';

const GB = 2 ** 30;
/** The official S2V DiT: 40 heads, FramePack buckets 1, 2, 16. */
const dit = (heads = 40, attention: 'matmul' | 'multihead' = 'matmul') => ({ heads, attention, framePackBuckets: [1, 2, 16] as const });

describe("an S2V DiT's attention memory, for a pack made by an older exporter (MatMul + Softmax)", () => {
  it("counts the clip's latents, the reference latent and the FramePack motion tokens: 80 frames at 832x480 are 22.5 frames of 1,560 tokens", () => {
    const tokens = (20 + 1 + 1 + 2 / 8 + 16 / 64) * 52 * 30;
    expect(tokens).toBe(35100);
    expect(s2vAttentionBytes({ width: 832, height: 480, framesPerChunk: 80 }, dit())).toBe(2 * 40 * tokens * tokens * 4);
    // Frames per chunk 81 generates clips of 80 frames, as the pipeline plans them.
    expect(s2vAttentionBytes({ width: 832, height: 480, framesPerChunk: 81 }, dit())).toBe(2 * 40 * tokens * tokens * 4);
  });

  it('names Resolution and Frames per chunk and offers what fits: fewer frames per chunk, or 480p with fewer', () => {
    expect(s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: 80, resolution: '720p' }, dit(2), 24 * GB)).toBe(
      "Resolution 720p (1280x704 for this portrait) with Frames per chunk 80 needs about 93 GB for the model's attention; this computer has 24 GB. " +
        'To render here, choose Frames per chunk at most 32 (under Advanced) or Resolution 480p; or render in the cloud. ' +
        'This model pack was made by an older exporter; a pack exported again with the current one (wan-export 0.2) computes attention without this limit.',
    );
    expect(s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: 160, resolution: '720p' }, dit(2), 24 * GB)).toContain(
      'To render here, choose Frames per chunk at most 32 (under Advanced) or Resolution 480p with Frames per chunk at most 100; or render in the cloud.',
    );
  });

  it('at 480p there is no lower Resolution to offer; when not even 16 frames fit, only the cloud is', () => {
    const at480 = s2vAttentionProblem({ width: 832, height: 480, framesPerChunk: 80, resolution: '480p' }, dit(), 64 * GB) ?? '';
    expect(at480).toContain('To render here, choose Frames per chunk at most 24 (under Advanced); or render in the cloud.');
    const none = s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: 80, resolution: '720p' }, dit(), 64 * GB) ?? '';
    expect(none).toContain('with Frames per chunk 80 needs about 1869 GB');
    expect(none).toContain('To render here, choose Resolution 480p with Frames per chunk at most 28; or render in the cloud.');
    expect(s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: 80, resolution: '720p' }, dit(), 16 * GB)).toContain('GB. Render it in the cloud. This model pack');
  });

  it('the sizes it offers do fit', () => {
    for (const memory of [16, 24, 64, 128].map((g) => g * GB)) {
      const message = s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: 160, resolution: '720p' }, dit(8), memory) ?? '';
      const chunk = /choose Frames per chunk at most (\d+)/.exec(message)?.[1];
      if (chunk) expect(s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: Number(chunk) }, dit(8), memory)).toBeNull();
      const at480 = /Resolution 480p with Frames per chunk at most (\d+)/.exec(message)?.[1];
      if (at480) expect(s2vAttentionProblem({ width: 832, height: 448, framesPerChunk: Number(at480) }, dit(8), memory)).toBeNull();
      expect(chunk ?? at480).toBeDefined();
    }
  });

  it('a pack with one MultiHeadAttention node (wan-export 0.2) is never refused for its attention', () => {
    expect(s2vAttentionBytes({ width: 1280, height: 704, framesPerChunk: 160 }, dit(40, 'multihead'))).toBe(0);
    expect(s2vAttentionProblem({ width: 1280, height: 704, framesPerChunk: 160, resolution: '720p' }, dit(40, 'multihead'), 8 * GB)).toBeNull();
  });
});
