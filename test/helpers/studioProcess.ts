import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const cliEntry = resolve(repoRoot, 'bin', 'wan-studio.js');

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  proc: ChildProcessWithoutNullStreams;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts the real `wan-studio serve` as a child process and waits for the URL it prints. */
export function startServe(home: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeHandle> {
  const proc = spawn(process.execPath, [cliEntry, 'serve', '--home', home, ...extraArgs], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
  let out = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`wan-studio serve printed no URL within 20 s:\n${out}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(http:\/\/\S+)\?token=(\S+)/.exec(out);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        const origin = m[1].replace(/\/$/, '');
        resolvePromise({
          url: `${m[1]}?token=${m[2]}`,
          origin,
          token: m[2],
          proc,
          output: () => out,
          stop: () =>
            new Promise((r) => {
              if (proc.exitCode !== null) return r(proc.exitCode);
              proc.once('exit', (code) => r(code));
              proc.kill('SIGTERM');
              setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wan-studio serve exited with ${code} before printing a URL:\n${out}`));
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real built CLI once. */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [cliEntry, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    proc.stdin.end(stdin ?? '');
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.once('error', reject);
    proc.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
