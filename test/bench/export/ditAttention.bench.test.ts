import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ditAttentionBytes } from '../../../common/animate/attentionMemory';
import type { AnimateManifest2 } from '../../../common/pack/animateManifest2';
import { runAnimateDitMeasured, type DitCallMeasure } from '../../helpers/animateDitRun';
import { makeTempDir } from '../../helpers/generatedMedia';
import { runExporterOk } from '../../helpers/wanExport';
import { report } from '../helpers/benchTools';
import { MB } from '../helpers/exporterMemory';

/**
 * The exported Animate DiT's peak memory against its token count: one call at 576x432 for clips of
 * 9, 37 and 77 frames (3888, 10692 and 20412 tokens), each in a fresh process. The baseline is the
 * shortest clip of the same run. With MultiHeadAttention (flash attention) the memory above it grows
 * like the tokens; MatMul + Softmax attention grows like their square (the "MatMul would add" column).
 */
/** The clip length whose (latent frames + 1) x 27 x 36 tokens the call had. */
const clipOf = (r: DitCallMeasure) => 4 * (r.tokens / 972) - 7;

it('peak RSS of a DiT call grows linearly with the tokens, not with their square', async () => {
  const dir = makeTempDir('bench-dit-attention');
  try {
    const ckpt = join(dir, 'ckpt');
    const pack = join(dir, 'pack');
    runExporterOk(['tiny', '--app', 'animate', '--out', ckpt]);
    runExporterOk(['export', '--app', 'animate', '--checkpoint', ckpt, '--out', pack]);
    const m = JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as AnimateManifest2;
    expect(m.dit.attention).toBe('multihead');
    const runs: DitCallMeasure[] = [];
    for (const frames of [3, 10, 20]) {
      const run = await runAnimateDitMeasured(join(pack, 'dit.onnx'), { ...m.dit, faceTokens: m.face.tokens }, { frames, lh: 54, lw: 72 });
      expect(run.finite).toBe(true);
      runs.push(run);
    }
    const base = runs[0]!;
    const matmulBase = ditAttentionBytes({ width: 576, height: 432, clipLen: clipOf(base) }, { heads: m.dit.heads, attention: 'matmul' });
    for (const r of runs) {
      const clipLen = clipOf(r);
      const matmul = ditAttentionBytes({ width: 576, height: 432, clipLen }, { heads: m.dit.heads, attention: 'matmul' });
      report(`DiT call, 576x432, clip of ${clipLen} frames`, {
        tokens: r.tokens,
        'peak RSS MB': (r.peakBytes / MB).toFixed(0),
        'above the baseline MB': ((r.peakBytes - base.peakBytes) / MB).toFixed(0),
        'MatMul would add MB': ((matmul - matmulBase) / MB).toFixed(0),
        's': (r.ms / 1000).toFixed(1),
      });
    }
    const [, mid, long] = runs as [DitCallMeasure, DitCallMeasure, DitCallMeasure];
    // The growth from the middle clip to the longest, per token, against the growth from the shortest to the middle.
    const perToken = (a: DitCallMeasure, b: DitCallMeasure) => (b.peakBytes - a.peakBytes) / (b.tokens - a.tokens);
    const growth = perToken(mid, long) / perToken(base, mid);
    report('DiT call memory growth', { 'per-token growth, long / short half': growth.toFixed(2), 'linear': '1.00', 'quadratic (MatMul)': ((long.tokens + mid.tokens) / (mid.tokens + base.tokens)).toFixed(2), 'at most': '1.40' });
    expect(growth).toBeLessThanOrEqual(1.4);
    expect(long.peakBytes).toBeLessThan(2 ** 30);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
