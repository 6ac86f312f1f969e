import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Large inputs are slow to make: keep them between bench runs. */
export const benchCache = join(tmpdir(), 'wan-studio-bench');
mkdirSync(benchCache, { recursive: true });

export function cachedMedia(name: string, ffmpegArgs: (path: string) => string[]): string {
  const path = join(benchCache, name);
  if (!existsSync(path)) {
    const tmp = `${path}.part${name.slice(name.lastIndexOf('.'))}`;
    process.stdout.write(`bench: generating ${name} (once)...\n`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...ffmpegArgs(tmp)], { stdio: 'inherit' });
    execFileSync('mv', [tmp, path]);
  }
  return path;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** Runs a program to completion and resolves with its wall time in ms. */
export function timeProcess(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/** The better of n runs: the machine is shared and noisy, the minimum is the honest cost. */
export async function bestOf(n: number, fn: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, await fn());
  return best;
}

export function report(name: string, rows: Record<string, string | number>): void {
  process.stdout.write(`\n[bench] ${name}\n${Object.entries(rows).map(([k, v]) => `  ${k.padEnd(28)} ${v}`).join('\n')}\n`);
}
