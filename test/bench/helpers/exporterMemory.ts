import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exporterEnv, exporterPython } from '../../helpers/wanExport';

export const MB = 1024 * 1024;

/** Runs the exporter in its own python; resolves with its peak RSS (ru_maxrss) and wall time. */
export function exportMeasured(args: string[]): Promise<{ peakBytes: number; ms: number }> {
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

export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir, { recursive: true })) {
    const s = await stat(join(dir, f));
    if (s.isFile()) total += s.size;
  }
  return total;
}
