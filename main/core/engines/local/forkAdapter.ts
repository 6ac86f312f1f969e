import { fork, type ChildProcess } from 'node:child_process';
import { childEnv } from '../../childEnv';
import type { ToWorker } from '../../../../common/worker/protocol';
import { ProcessAdapter } from './processAdapter';
import type { WorkerAdapter } from './workerAdapter';

/** The inference worker as a Node child process (the headless server, the CLI and the tests). */
export class ForkAdapter extends ProcessAdapter<ChildProcess> {
  constructor(entry: string) {
    super(fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', env: childEnv() }));
    // 'close' comes after stderr has been read to its end (the last words name an out-of-memory death).
    this.child.once('close', (code, signal) => this.ended({ code, signal }));
    // A process that never started emits 'error' and may never close.
    this.child.once('error', () => {
      if (this.child.pid === undefined) this.ended({ code: null, signal: null });
    });
  }

  send(message: ToWorker): void {
    if (this.child.connected) this.child.send(message);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

export const forkAdapterFactory = (entry: string): WorkerAdapter => new ForkAdapter(entry);
