import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript } from '../../helpers/bundleScript';
import { makeTempDir } from '../../helpers/generatedMedia';
import { until } from '../../helpers/renderJobs';
import { repoRoot } from '../../helpers/studioProcess';

let childScript: string;
beforeAll(async () => {
  childScript = await bundleScript('test/fixtures/scripts/ffmpegChild.ts');
}, 120_000);

const started: number[] = [];
afterEach(() => {
  // Only if the test failed: do not leave ffmpeg running on a shared machine.
  for (const pid of started.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
});

/** A process's parent pid, short name and state from /proc/<pid>/stat; null when it is gone. */
function stat(pid: number): { ppid: number; comm: string; state: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const [state, ppid] = text.slice(close + 2).split(' ');
    return { ppid: Number(ppid), comm: text.slice(text.indexOf('(') + 1, close), state: state ?? '' };
  } catch {
    return null;
  }
}

/** Gone, or a zombie waiting for whoever adopted it to reap it: either way it runs no more. */
const running = (pid: number): boolean => {
  const s = stat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
};

const ffmpegChildrenOf = (parent: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const s = stat(pid);
      return s !== null && s.ppid === parent && s.comm === 'ffmpeg';
    });

describe.runIf(process.platform === 'linux')('processes started by a studio that is killed with kill -9', () => {
  it('ffmpeg and the inference worker end with it instead of writing on into the library', async () => {
    const workerEntry = join(repoRoot, 'out', 'main', 'inferenceWorker.js');
    const child = spawn(process.execPath, [childScript, makeTempDir('orphan-out'), workerEntry], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('started')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the studio child exited (${code}) before starting ffmpeg`)));
    });
    const parent = child.pid as number;
    // Both ffmpeg processes (the encode and the runProcess one) have exec'd and are running.
    await until('two ffmpeg children run', () => ffmpegChildrenOf(parent).length === 2, 20_000);
    const ffmpegs = ffmpegChildrenOf(parent);
    const worker = Number(/worker (\d+)/.exec(out)?.[1]);
    expect(running(worker)).toBe(true);
    started.push(...ffmpegs, worker);

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await until('nothing the killed studio started runs', () => [...ffmpegs, worker].every((pid) => !running(pid)), 20_000);
    expect([...ffmpegs, worker].filter(running)).toEqual([]);
  }, 60_000);
});
