import { utilityProcess, type UtilityProcess } from 'electron';
import type { ToWorker } from '../../common/worker/protocol';
import { ProcessAdapter } from '../core/engines/local/processAdapter';
import type { WorkerAdapter } from '../core/engines/local/workerAdapter';
import { childEnv } from '../core/childEnv';

/**
 * The inference worker as an Electron utility process (the app's way to run native work outside
 * main: its own crash reporting, and it dies with the app). The driver above it (WorkerDriver)
 * gives it the same message parsing, exit reasons and bounded stop as the forked worker.
 */
class UtilityAdapter extends ProcessAdapter<UtilityProcess> {
  constructor(entry: string) {
    super(utilityProcess.fork(entry, [], { serviceName: 'Wan Studio inference', stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() }));
    this.child.once('exit', (code) => this.ended({ code, signal: null }));
  }

  send(message: ToWorker): void {
    if (!this.exited) this.child.postMessage(message);
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }
}

export const utilityWorkerFactory = (entry: string): WorkerAdapter => new UtilityAdapter(entry);
