import { spawn } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';
import { exporterEnv, exporterPython, runExporterOk } from '../../helpers/wanExport';
import { report } from '../helpers/benchTools';

/**
 * The exporter's peak memory on a "tiny-wide" checkpoint of about 2 GB (a DiT 1024 wide, umT5 1024
 * wide with the real 256k vocabulary), against the same with half the DiT blocks: streaming the
 * weights one tensor at a time means the peak follows the widest piece, not the model's size.
 */
const MB = 1024 * 1024;

/** Runs the exporter in its own python; resolves with its peak RSS (ru_maxrss) and wall time. */
function exportMeasured(args: string[]): Promise<{ peakBytes: number; ms: number }> {
  const code = 'import resource, sys\nfrom wan_export.__main__ import main\nrc = main(sys.argv[1:])\nprint("maxrss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(rc)';
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(exporterPython(), ['-c', code, ...args], { env: exporterEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    p.on('error', reject);
    p.on('close', (status) => {
      const m = /maxrss_kb (\d+)/.exec(err);
      if (status !== 0 || !m) reject(new Error(`export exited ${status}: ${err}`));
      else resolve({ peakBytes: Number(m[1]) * 1024, ms: performance.now() - t });
    });
  });
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir, { recursive: true })) {
    const s = await stat(join(dir, f));
    if (s.isFile()) total += s.size;
  }
  return total;
}

it('peak RSS of a full export does not grow with the model: ~2 GB of weights vs half the DiT', async () => {
  const rows: Record<string, Record<string, string>> = {};
  const peaks: Record<string, number> = {};
  let fullWeights = 0;
  for (const [label, layers] of [['half', 24], ['full', 48]] as const) {
    const dir = makeTempDir(`bench-export-${label}`);
    try {
      const ckpt = join(dir, 'ckpt');
      runExporterOk(['tiny', '--wide', '--layers', String(layers), '--out', ckpt]);
      const weights = await folderBytes(ckpt);
      const pack = join(dir, 'pack');
      const r = await exportMeasured(['export', '--checkpoint', ckpt, '--out', pack, '--name', 'tiny-wide']);
      peaks[label] = r.peakBytes;
      if (label === 'full') fullWeights = weights;
      rows[label] = { 'DiT blocks': String(layers), 'checkpoint MB': (weights / MB).toFixed(0), 'pack MB': ((await folderBytes(pack)) / MB).toFixed(0), 'peak RSS MB': (r.peakBytes / MB).toFixed(0), 'export s': (r.ms / 1000).toFixed(0) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  for (const [label, row] of Object.entries(rows)) report(`exporter, tiny-wide ${label}`, row);
  report('exporter peak RSS', { 'full / half': (peaks.full! / peaks.half!).toFixed(3), 'full / half at most': '1.15', 'full peak / checkpoint': (peaks.full! / fullWeights).toFixed(3), 'peak / checkpoint at most': '0.75' });
  expect(fullWeights).toBeGreaterThan(1.8 * 1024 * MB);
  expect(peaks.full! / peaks.half!).toBeLessThanOrEqual(1.15);
  expect(peaks.full!).toBeLessThan(0.75 * fullWeights);
});
