import { utilityProcess, type UtilityProcess } from 'electron';
import type { ToWorker } from '../../common/worker/protocol';
import type { WorkerAdapter, WorkerExit } from '../core/engines/local/workerAdapter';
import { childEnv } from '../core/childEnv';
import { toDisposable, type Disposable } from '../core/lifecycle';

/**
 * The inference worker as an Electron utility process (the app's way to run native work outside
 * main: its own crash reporting, and it dies with the app). The driver above it (WorkerDriver)
 * gives it the same message parsing, exit reasons and bounded stop as the forked worker.
 */
class UtilityAdapter implements WorkerAdapter {
  private readonly child: UtilityProcess;
  private exit: WorkerExit | null = null;
  private readonly exitListeners: Array<(exit: WorkerExit) => void> = [];

  constructor(entry: string) {
    this.child = utilityProcess.fork(entry, [], { serviceName: 'Wan Studio inference', stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() });
    this.child.once('exit', (code) => {
      this.exit = { code, signal: null };
      for (const fn of this.exitListeners.splice(0)) fn({ code, signal: null });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ToWorker): void {
    if (!this.exit) this.child.postMessage(message);
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
    if (!this.exit) this.child.kill();
  }
}

export const utilityWorkerFactory = (entry: string): WorkerAdapter => new UtilityAdapter(entry);
