import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';
import { runExporterOk } from '../../helpers/wanExport';
import { report } from '../helpers/benchTools';
import { exportMeasured, folderBytes, MB } from '../helpers/exporterMemory';

/**
 * The Animate exporter's peak memory on a "tiny-wide" Animate checkpoint of about 2 GB (a DiT 1024
 * wide with relighting adapters, umT5 1024 wide with the real 256k vocabulary), against the same with
 * half the DiT blocks: the DiT is streamed through the block-template stitcher, so the peak follows
 * the widest piece (umT5's embedding), not the DiT's size.
 */
it('peak RSS of a full Animate export does not grow with the DiT: ~2 GB of weights vs half the blocks', async () => {
  const rows: Record<string, Record<string, string>> = {};
  const peaks: Record<string, number> = {};
  let fullWeights = 0;
  for (const [label, layers] of [['half', 20], ['full', 40]] as const) {
    const dir = makeTempDir(`bench-animate-export-${label}`);
    try {
      const ckpt = join(dir, 'ckpt');
      runExporterOk(['tiny', '--app', 'animate', '--wide', '--layers', String(layers), '--out', ckpt]);
      const weights = await folderBytes(ckpt);
      const pack = join(dir, 'pack');
      const r = await exportMeasured(['export', '--app', 'animate', '--checkpoint', ckpt, '--out', pack, '--name', 'tiny-wide']);
      peaks[label] = r.peakBytes;
      if (label === 'full') fullWeights = weights;
      rows[label] = { 'DiT blocks': String(layers), 'checkpoint MB': (weights / MB).toFixed(0), 'pack MB': ((await folderBytes(pack)) / MB).toFixed(0), 'peak RSS MB': (r.peakBytes / MB).toFixed(0), 'export s': (r.ms / 1000).toFixed(0) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  for (const [label, row] of Object.entries(rows)) report(`Animate exporter, tiny-wide ${label}`, row);
  report('Animate exporter peak RSS', { 'full / half': (peaks.full! / peaks.half!).toFixed(3), 'full / half at most': '1.15', 'full peak / checkpoint': (peaks.full! / fullWeights).toFixed(3), 'peak / checkpoint at most': '0.75' });
  expect(fullWeights).toBeGreaterThan(1.8 * 1024 * MB);
  expect(peaks.full! / peaks.half!).toBeLessThanOrEqual(1.15);
  expect(peaks.full!).toBeLessThan(0.75 * fullWeights);
});
