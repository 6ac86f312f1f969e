import { fork, type ChildProcess } from 'node:child_process';
import { childEnv } from '../../childEnv';
import { toDisposable, type Disposable } from '../../lifecycle';
import type { ToWorker } from '../../../../common/worker/protocol';
import type { WorkerAdapter, WorkerExit } from './workerAdapter';

/** The inference worker as a Node child process (the headless server, the CLI and the tests). */
export class ForkAdapter implements WorkerAdapter {
  private readonly child: ChildProcess;
  private exit: WorkerExit | null = null;
  private readonly exitListeners: Array<(exit: WorkerExit) => void> = [];

  constructor(entry: string) {
    this.child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', env: childEnv() });
    // 'close' comes after stderr has been read to its end (the last words name an out-of-memory death).
    this.child.once('close', (code, signal) => this.ended({ code, signal }));
    // A process that never started emits 'error' and may never close.
    this.child.once('error', () => {
      if (this.child.pid === undefined) this.ended({ code: null, signal: null });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ToWorker): void {
    if (this.child.connected) this.child.send(message);
  }

  onMessage(fn: (raw: unknown) => void): Disposable {
    this.child.on('message', fn);
    return toDisposable(() => this.child.off('message', fn));
  }

  onStderr(fn: (text: string) => void): void {
    this.child.stderr?.on('data', (c: Buffer) => fn(c.toString()));
  }

  onExit(fn: (exit: WorkerExit) => void): void {
    if (this.exit) fn(this.exit);
    else this.exitListeners.push(fn);
  }

  kill(): void {
    if (!this.exit) this.child.kill('SIGKILL');
  }

  private ended(exit: WorkerExit): void {
    if (this.exit) return;
    this.exit = exit;
    for (const fn of this.exitListeners.splice(0)) fn(exit);
  }
}

export const forkAdapterFactory = (entry: string): WorkerAdapter => new ForkAdapter(entry);
