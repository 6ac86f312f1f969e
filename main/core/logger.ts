/**
 * A small structured logger. Callers pass facts, never request params or headers wholesale,
 * so secrets cannot slip into logs by accident.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  scope: string,
  sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  min: LogLevel = (process.env.WAN_STUDIO_LOG_LEVEL as LogLevel | undefined) ?? 'info',
): Logger {
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < (order[min] ?? 20)) return;
    sink(JSON.stringify({ t: new Date().toISOString(), level, scope, msg, ...fields }));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
