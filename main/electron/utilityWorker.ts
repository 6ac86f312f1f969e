import { utilityProcess, type UtilityProcess } from 'electron';
import type { FromWorker, ToWorker } from '../../native/worker/protocol';
import { exitReason, workerEntry, type InferenceWorker } from '../core/engines/local/workerProcess';
import { toDisposable, type Disposable } from '../core/lifecycle';

/**
 * The inference worker as an Electron utility process (the app's way to run native work outside
 * main: its own crash reporting, and it dies with the app). Same messages and the same bounded stop
 * as the forked worker the headless server and the tests use.
 */
class UtilityWorker implements InferenceWorker {
  private readonly child: UtilityProcess;
  private readonly exited: ReturnType<InferenceWorker['whenExited']>;
  private stderr = '';
  private killedByUs = false;
  private alive = true;

  constructor() {
    this.child = utilityProcess.fork(workerEntry(), [], { serviceName: 'Wan Studio inference', stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.alive = false;
        resolve({ reason: exitReason(this.stderr, this.killedByUs, code, null), code, signal: null, stderr: this.stderr });
      });
    });
  }

  send(message: ToWorker): void {
    if (this.alive) this.child.postMessage(message);
  }

  onMessage(fn: (m: FromWorker) => void): Disposable {
    const listener = (m: unknown) => fn(m as FromWorker);
    this.child.on('message', listener);
    return toDisposable(() => this.child.off('message', listener));
  }

  whenExited() {
    return this.exited;
  }

  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.send({ type: 'cancel' });
    const timer = setTimeout(() => {
      this.killedByUs = true;
      this.child.kill();
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    if (!this.alive) return;
    this.killedByUs = true;
    this.child.kill();
    await this.exited;
  }
}

export const utilityWorkerFactory = (): InferenceWorker => new UtilityWorker();
