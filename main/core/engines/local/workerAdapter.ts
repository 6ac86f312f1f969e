import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToWorker } from '../../../../common/worker/protocol';
import { StudioError } from '../../contract/errors';
import type { Disposable } from '../../lifecycle';

/** How a worker process ended, as the platform reports it. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One way of running the inference worker as a process (child_process.fork under Node, Electron's
 * utilityProcess in the app). Only the mechanics: the driver above it (WorkerDriver) owns the
 * messages' parsing, the exit reason and the bounded stop, so both kinds behave alike.
 */
export interface WorkerAdapter {
  readonly pid: number | undefined;
  /** Delivers a message while the process runs; dropped once it has ended. */
  send(message: ToWorker): void;
  /** Every message the worker sends, unparsed: the driver parses it. */
  onMessage(fn: (raw: unknown) => void): Disposable;
  onStderr(fn: (text: string) => void): void;
  /** Called once, when the process has ended (and its stderr is read to the end where the platform allows). */
  onExit(fn: (exit: WorkerExit) => void): void;
  /** Ends the process at once (SIGKILL or the platform's equivalent); its exit follows. */
  kill(): void;
}

/** Starts a worker process: child_process.fork by default; the app passes one that uses Electron's utilityProcess. */
export type WorkerAdapterFactory = (entry: string) => WorkerAdapter;

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
