import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from '../../../../native/worker/protocol';
import { StudioError } from '../../contract/errors';
import { toDisposable, type Disposable } from '../../lifecycle';

export type ExitReason = 'normal' | 'crash' | 'oom' | 'killed';

/** Where the built worker is: beside the main bundle (out/main/inferenceWorker.js), found from the bundle or from source. */
export function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'inferenceWorker.js'), // out/main
    join(here, '..', 'inferenceWorker.js'), // out/main/chunks
    join(here, '..', '..', '..', '..', 'out', 'main', 'inferenceWorker.js'), // main/core/engines/local (tests from source)
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new StudioError('internal', `The inference worker is missing (looked for ${candidates[0]}). Build the studio with "npm run build".`);
  return found;
}

/** Why a worker ended: our own kill, running out of memory (as its last words say), a crash, or normally. */
export function exitReason(stderr: string, killedByUs: boolean, code: number | null, signal: NodeJS.Signals | null): ExitReason {
  if (killedByUs) return 'killed';
  if (/heap out of memory|Allocation failed|std::bad_alloc|OOM/i.test(stderr)) return 'oom';
  return code === 0 && !signal ? 'normal' : 'crash';
}

/** What the local engine needs from a worker process, whichever way it was started. */
export interface InferenceWorker extends Disposable {
  send(message: ToWorker): void;
  onMessage(fn: (m: FromWorker) => void): Disposable;
  whenExited(): Promise<{ reason: ExitReason; code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  stop(graceMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts a worker: child_process.fork under Node; the app passes one that uses Electron's utilityProcess. */
export type WorkerFactory = () => InferenceWorker;

/**
 * One inference worker process: typed messages in and out, an exit reason (crash, out of
 * memory, killed), and a bounded stop that asks first and kills after a grace period. A new one
 * is started for each job so GPU memory is always released between jobs.
 */
export class WorkerProcess implements InferenceWorker {
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ reason: ExitReason; code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  private stderr = '';
  private killedByUs = false;

  constructor(entry = workerEntry()) {
    this.child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ reason: exitReason(this.stderr, this.killedByUs, code, signal), code, signal, stderr: this.stderr }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ToWorker): void {
    if (this.child.connected) this.child.send(message);
  }

  onMessage(fn: (m: FromWorker) => void): Disposable {
    const listener = (m: unknown) => fn(m as FromWorker);
    this.child.on('message', listener);
    return toDisposable(() => this.child.off('message', listener));
  }

  whenExited() {
    return this.exited;
  }

  /** Asks the worker to cancel, then kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send({ type: 'cancel' });
    const timer = setTimeout(() => {
      this.killedByUs = true;
      this.child.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Ends the worker now (after its job, or at shutdown). */
  async dispose(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.killedByUs = true;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}
