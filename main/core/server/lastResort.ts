import type { Logger } from '../logger';

const describe = (e: unknown): Record<string, unknown> =>
  e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { message: String(e) };

/**
 * For the long-running server only: an error that escaped every handler (a bug in a callback, a
 * promise nobody awaited) is logged and the studio keeps serving the pages and jobs it has, instead
 * of the whole process ending. The CLI's one-shot commands do not install this: there an escaped
 * error should end the command with an error code. Returns the function that removes it.
 */
export function keepServingThroughErrors(log: Logger): () => void {
  const onException = (e: unknown) => log.error('serve: an unexpected error escaped its handler; still serving', describe(e));
  const onRejection = (reason: unknown) => log.error('serve: a promise failed and nothing handled it; still serving', describe(reason));
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
