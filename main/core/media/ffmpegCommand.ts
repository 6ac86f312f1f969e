import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { childEnv } from '../childEnv';
import { dieWithParent } from './dieWithParent';
import { StudioError } from '../contract/errors';
import { resolveTool, type ToolPreferences } from './ffmpegBinaries';
import { ffmpegFailure } from './ffmpegErrors';
import { ProgressParser, type FfmpegProgress } from './progress';
import { commitTemp, removeQuietly, tempSibling } from './tempOutput';

const STDERR_TAIL = 16 * 1024;
const KILL_GRACE_MS = 2000;

export interface FfmpegJob {
  /** In the user's words, for messages: "Trimming interview.mp4". */
  label: string;
  /** The finished files. ffmpeg writes hidden temp siblings; they are renamed only on success. */
  outputs: string[];
  /** Everything after the global options, given the temp paths to write (same order as outputs). */
  args: (tempOutputs: string[]) => string[];
  /** Expected output duration: progress then carries a percentage. */
  durationSec?: number | null;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  tools?: ToolPreferences;
  /** Feed stdin (raw frames); otherwise stdin is closed. */
  stdin?: boolean;
  /** Keep stdout for data (raw frames, samples); progress then goes through a file descriptor 3 pipe. */
  stdoutData?: boolean;
  /** Paths to cut from error reasons (our temp inputs the user never saw). */
  hidePaths?: string[];
  /** 'info' when the job needs what a filter prints (loudnorm's measurement); default 'error'. */
  logLevel?: 'error' | 'info';
}

export interface FfmpegRun {
  child: ChildProcess;
  /** Raw frames in (when stdin was asked for). */
  stdin: Writable | null;
  /** Data out (when stdoutData was asked for). */
  stdout: NodeJS.ReadableStream | null;
  /** Resolves when ffmpeg exited 0 and the outputs were renamed into place. */
  done: Promise<void>;
  /** The end of stderr so far (for filters that report through the log, like loudnorm). */
  stderrTail(): string;
  /** Stops ffmpeg (SIGTERM, then SIGKILL after a grace period) and removes the partial outputs. */
  cancel(): void;
}

/**
 * Runs ffmpeg with an argument array (no shell). Progress comes from `-progress` key=value
 * blocks on a pipe, never from stderr text; stderr keeps only its tail, for error messages. The
 * process never outlives the job: an abort, a failure or the caller's cancel kills it, and partial
 * outputs are removed.
 */
export function startFfmpeg(job: FfmpegJob): FfmpegRun {
  const ffmpeg = resolveTool('ffmpeg', job.tools);
  const temps = job.outputs.map(tempSibling);
  const progressTarget = job.stdoutData ? 'pipe:3' : 'pipe:1';
  const args = ['-hide_banner', '-nostats', '-v', job.logLevel ?? 'error', '-progress', progressTarget, ...(job.stdin ? [] : ['-nostdin']), '-y', ...job.args(temps)];
  const run = dieWithParent(ffmpeg.path, args);
  const child = spawn(run.command, run.args, {
    stdio: [job.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(job.stdoutData ? (['pipe'] as const) : [])],
    windowsHide: true,
    env: childEnv(),
  });
  const progressStream = (job.stdoutData ? child.stdio[3] : child.stdout) as NodeJS.ReadableStream | null;
  const parser = new ProgressParser(job.durationSec ?? null);
  progressStream?.setEncoding?.('utf8');
  progressStream?.on('data', (chunk: string) => {
    for (const p of parser.push(chunk)) job.onProgress?.(p);
  });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => {
    stderrTail = (stderrTail + c).slice(-STDERR_TAIL);
  });

  let cancelled = false;
  let killTimer: NodeJS.Timeout | null = null;
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };
  const cancel = () => {
    cancelled = true;
    kill();
  };
  if (job.signal?.aborted) cancel();
  job.signal?.addEventListener('abort', cancel, { once: true });

  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (e) => {
      job.signal?.removeEventListener('abort', cancel);
      void removeQuietly(temps).then(() =>
        reject(new StudioError('unavailable', `${job.label} failed: could not start ffmpeg at ${ffmpeg.path} (${e.message}).`, { cause: e })),
      );
    });
    child.once('close', (code) => {
      job.signal?.removeEventListener('abort', cancel);
      if (killTimer) clearTimeout(killTimer);
      void (async () => {
        if (cancelled) {
          await removeQuietly(temps);
          reject(new StudioError('cancelled', `${job.label} was cancelled.`));
          return;
        }
        if (code !== 0) {
          await removeQuietly(temps);
          reject(ffmpegFailure(job.label, stderrTail, [...temps, ...(job.hidePaths ?? [])]));
          return;
        }
        try {
          for (let i = 0; i < temps.length; i++) await commitTemp(temps[i] as string, job.outputs[i] as string);
        } catch (e) {
          await removeQuietly(temps);
          reject(new StudioError('io_error', `${job.label} finished, but its output could not be moved into place: ${(e as Error).message}.`));
          return;
        }
        resolve();
      })();
    });
  });
  // A caller that only awaits `done` must not see an unhandled rejection from a cancel it asked for.
  done.catch(() => undefined);

  return { child, stdin: job.stdin ? child.stdin : null, stdout: job.stdoutData ? child.stdout : null, done, cancel, stderrTail: () => stderrTail };
}

export const runFfmpeg = (job: FfmpegJob): Promise<void> => startFfmpeg(job).done;
