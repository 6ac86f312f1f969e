import { spawn } from 'node:child_process';
import { childEnv } from '../childEnv';
import { dieWithParent } from './dieWithParent';

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Upper bound on collected stdout; a program that prints more is stopped (protects memory). */
  maxStdoutBytes?: number;
  cwd?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  /** The last few KB of stderr: enough to explain a failure without holding megabytes of logs. */
  stderrTail: string;
  timedOut: boolean;
  aborted: boolean;
}

const STDERR_TAIL_BYTES = 8192;

/**
 * Runs a program with an argument array (never a shell), collecting stdout and the stderr tail.
 * The child is killed when the signal aborts or the timeout passes, so it never outlives its caller.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { signal, timeoutMs, maxStdoutBytes = 64 * 1024 * 1024, cwd } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderrTail: '', timedOut: false, aborted: true });
      return;
    }
    const run = dieWithParent(command, args);
    const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, cwd, env: childEnv() });
    const out: Buffer[] = [];
    let outBytes = 0;
    let errTail = '';
    let timedOut = false;
    let aborted = false;
    let overflow = false;

    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // A program may leave a background process holding our pipes open; 'close' waits for the
      // pipes, so they are closed from our side too, or the caller would wait as long as it lives.
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const onAbort = () => {
      aborted = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, timeoutMs)
      : null;

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdoutBytes) {
        overflow = true;
        kill();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errTail = (errTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (overflow) errTail += `\n(output exceeded ${maxStdoutBytes} bytes; stopped)`;
      resolve({ code, signal: sig, stdout: Buffer.concat(out), stderrTail: errTail, timedOut, aborted });
    });
  });
}

/** The last meaningful stderr line: ffmpeg puts the actual reason there. */
export function lastErrorLine(stderrTail: string): string {
  const lines = stderrTail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.at(-1) ?? 'no error output';
}
