import { fromWorkerSchema, MalformedMessageError, parseMessage, type FromWorker, type ToWorker } from '../../../../common/worker/protocol';
import type { Disposable } from '../../lifecycle';
import type { WorkerAdapter, WorkerExit } from './workerAdapter';

export type ExitReason = 'normal' | 'crash' | 'oom' | 'killed';

export interface WorkerEnd extends WorkerExit {
  reason: ExitReason;
  /** The last few thousand characters the worker wrote to stderr. */
  stderr: string;
}

/** Why a worker ended: our own kill, running out of memory (as its last words say), a crash, or normally. */
export function exitReason(stderr: string, killedByUs: boolean, exit: WorkerExit): ExitReason {
  if (killedByUs) return 'killed';
  // Whole phrases only: a bare "oom" would also be read in "room" or "zoom" of any other last words.
  if (/heap out of memory|Allocation failed|std::bad_alloc|Failed to allocate memory/i.test(stderr) || /\bOOM\b/.test(stderr)) return 'oom';
  return exit.code === 0 && !exit.signal ? 'normal' : 'crash';
}

/** How long dispose waits for a killed process to be reported gone before giving up on it. */
const KILL_WAIT_MS = 5000;

/**
 * One inference worker, whichever adapter runs it: messages parsed on arrival (a malformed one
 * reaches listeners as a worker error naming what was wrong), one exit-reason rule, and a
 * bounded stop that asks first and kills after a grace period. A new one is started for each job
 * so GPU memory is always released between jobs.
 */
export class WorkerDriver implements Disposable {
  private readonly exited: Promise<WorkerEnd>;
  private stderr = '';
  private killedByUs = false;
  private ended = false;

  constructor(private readonly adapter: WorkerAdapter) {
    adapter.onStderr((text) => (this.stderr = (this.stderr + text).slice(-4000)));
    this.exited = new Promise((resolve) => {
      adapter.onExit((exit) => {
        this.ended = true;
        resolve({ ...exit, reason: exitReason(this.stderr, this.killedByUs, exit), stderr: this.stderr });
      });
    });
  }

  get pid(): number | undefined {
    return this.adapter.pid;
  }

  send(message: ToWorker): void {
    this.adapter.send(message);
  }

  onMessage(fn: (m: FromWorker) => void): Disposable {
    return this.adapter.onMessage((raw) => {
      let message: FromWorker;
      try {
        message = parseMessage(fromWorkerSchema, raw, 'The inference worker');
      } catch (e) {
        if (!(e instanceof MalformedMessageError)) throw e;
        message = { type: 'error', code: 'failed', message: e.message };
      }
      fn(message);
    });
  }

  whenExited(): Promise<WorkerEnd> {
    return this.exited;
  }

  /** Asks the worker to cancel, then kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.ended) return;
    this.send({ type: 'cancel' });
    await this.killAfter(graceMs);
  }

  /** Ends the worker now (after its job, or at shutdown). */
  async dispose(): Promise<void> {
    if (this.ended) return;
    await this.killAfter(0);
  }

  private async killAfter(ms: number): Promise<void> {
    const kill = () => {
      this.killedByUs = true;
      this.adapter.kill();
    };
    let timer: NodeJS.Timeout | undefined;
    if (ms > 0) timer = setTimeout(kill, ms);
    else kill();
    // Bounded: a process the platform never reports gone does not hold the job forever.
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, ms + KILL_WAIT_MS)))]);
    clearTimeout(timer);
    clearTimeout(giveUp);
  }
}
