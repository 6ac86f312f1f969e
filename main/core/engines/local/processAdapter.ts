import { toDisposable, type Disposable } from '../../lifecycle';
import type { ToWorker } from '../../../../common/worker/protocol';
import type { WorkerAdapter, WorkerExit } from './workerAdapter';

/** What a forked Node child and an Electron utility process have in common. */
export interface WorkerChild {
  readonly pid?: number | undefined;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'message', fn: (raw: unknown) => void): unknown;
  off(event: 'message', fn: (raw: unknown) => void): unknown;
}

/**
 * The part of a WorkerAdapter that is the same for every kind of process: messages, stderr and
 * the exit reported once (a listener added after the exit hears it at once). Subclasses start the
 * process, call `ended` when it is gone, and say how to send and kill.
 */
export abstract class ProcessAdapter<C extends WorkerChild> implements WorkerAdapter {
  private exit: WorkerExit | null = null;
  private readonly exitListeners: Array<(exit: WorkerExit) => void> = [];

  protected constructor(protected readonly child: C) {}

  abstract send(message: ToWorker): void;
  abstract kill(): void;

  get pid(): number | undefined {
    return this.child.pid;
  }

  protected get exited(): boolean {
    return this.exit !== null;
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

  protected ended(exit: WorkerExit): void {
    if (this.exit) return;
    this.exit = exit;
    for (const fn of this.exitListeners.splice(0)) fn(exit);
  }
}
