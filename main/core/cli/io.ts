import { terminalSafe } from '../contract/format';

/** Where a command writes. Commands never touch process.stdout directly, so they can be tested in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user asks a long-running command (serve) to stop. */
  untilStopped(): Promise<void>;
}

/** Lines carry names users and pages chose; none of them may drive the terminal. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${terminalSafe(line)}\n`),
  err: (line) => process.stderr.write(`${terminalSafe(line)}\n`),
  untilStopped: () =>
    new Promise((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }),
};

/** A usage mistake: printed with the command's help and exit code 2. */
export class UsageError extends Error {}
