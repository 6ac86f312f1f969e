import { StudioError } from '../../contract/errors';
import { CloudHttpError, CloudNetworkError } from './cloudErrors';
import { backoffMs, sleep, type CloudHttp } from './cloudHttp';
import { isTerminal, parseStatus, statusRank, type TaskStatusName } from './taskStatus';

/** The parts of a task this client reads; the server sends more. */
export interface RemoteTask {
  id: string;
  status: unknown;
  output?: Record<string, unknown> | null;
  error?: string | null;
  logs?: Array<{ content?: string; log_type?: number; created_at?: string }>;
  updated_at?: string;
  [key: string]: unknown;
}

export interface FollowOptions {
  signal: AbortSignal;
  onTask: (task: RemoteTask, status: TaskStatusName) => void;
  /** New log lines as they appear (each line once, even across reconnects). */
  onLog?: (line: string) => void;
  /** Reconnects after a dropped stream before polling takes over. */
  maxReconnects?: number;
  pollIntervalMs?: number;
  /** A stream that sends nothing (not even a heartbeat) for this long is treated as dropped. */
  streamIdleMs?: number;
  /** Give up waiting after this long overall. */
  maxWaitMs?: number;
  reconnectBaseMs?: number;
  /**
   * While a stream is open (even one with heartbeats), the light status is checked this often:
   * a stream that never delivers the terminal update must not hold the job forever.
   */
  streamCheckMs?: number;
}

type StreamOutcome = 'terminal' | 'ended' | 'unsupported' | 'poll';

/**
 * Follows a task to a terminal status: the NDJSON stream first (heartbeats skipped, partial updates
 * merged into the task), reconnecting with backoff when it drops, then polling /status (and the
 * full task when it changes) if streaming keeps failing. Always ends with the full task fetched,
 * so the final output is never a partial update's.
 */
export async function followTask(http: CloudHttp, taskId: string, opts: FollowOptions): Promise<RemoteTask> {
  const started = Date.now();
  const maxWait = opts.maxWaitMs ?? 6 * 60 * 60 * 1000;
  let task: RemoteTask = { id: taskId, status: 'unknown' };
  let status: TaskStatusName = 'unknown';
  let logsSeen = 0;

  const absorb = (update: Record<string, unknown>) => {
    const next = { ...task, ...update } as RemoteTask;
    const nextStatus = parseStatus(next.status);
    // A late or replayed update must not move the task backwards (except into a terminal state).
    if (statusRank(nextStatus) < statusRank(status) && !isTerminal(nextStatus)) next.status = task.status;
    task = next;
    status = parseStatus(task.status);
    const logs = Array.isArray(task.logs) ? task.logs : [];
    for (; logsSeen < logs.length; logsSeen++) {
      const content = logs[logsSeen]?.content;
      if (content) opts.onLog?.(content);
    }
    opts.onTask(task, status);
  };

  const timeLeft = () => maxWait - (Date.now() - started);
  const checkTime = () => {
    if (timeLeft() <= 0) throw new StudioError('unavailable', `The cloud task ${taskId} did not finish within ${Math.round(maxWait / 60000)} minutes. It may still be running on inference.sh; the job can be re-attached later.`);
  };

  let reconnects = 0;
  const maxReconnects = opts.maxReconnects ?? 5;
  while (!isTerminal(status) && reconnects <= maxReconnects) {
    checkTime();
    let outcome: StreamOutcome;
    try {
      outcome = await readStream(http, taskId, opts, absorb, () => isTerminal(status), timeLeft);
    } catch (e) {
      if (opts.signal.aborted || (e instanceof StudioError && e.code === 'cancelled')) throw new StudioError('cancelled', 'Cancelled.');
      if (e instanceof CloudHttpError && (e.status === 401 || e.status === 403)) throw e;
      if (e instanceof CloudHttpError && e.status === 404 && !isTerminal(status)) {
        // Either the task is gone or this server has no stream route: polling tells which.
        outcome = 'unsupported';
      } else if (e instanceof CloudHttpError || e instanceof CloudNetworkError || e instanceof TypeError || (e as Error).name === 'AbortError') {
        outcome = 'ended';
      } else throw e;
    }
    if (outcome === 'terminal' || outcome === 'unsupported' || outcome === 'poll') break;
    reconnects++;
    if (reconnects <= maxReconnects) await sleep(backoffMs(reconnects, { attempts: 0, baseDelayMs: opts.reconnectBaseMs ?? 500, maxDelayMs: 5000, maxRateLimitWaitMs: 0 }), opts.signal);
  }

  // Polling fallback (or the stream ended on a terminal update): poll until terminal.
  let lastPolled: TaskStatusName | null = null;
  while (!isTerminal(status)) {
    checkTime();
    const light = await http.request<{ status: unknown }>('GET', `/tasks/${encodeURIComponent(taskId)}/status`, { idempotent: true, signal: opts.signal });
    const polled = parseStatus(light.status);
    if (polled !== lastPolled) {
      lastPolled = polled;
      absorb(await http.request<Record<string, unknown>>('GET', `/tasks/${encodeURIComponent(taskId)}`, { idempotent: true, signal: opts.signal }));
    }
    if (!isTerminal(status)) await sleep(opts.pollIntervalMs ?? 2000, opts.signal);
  }
  // The stream's merged view may lack the final output: the full task is the truth.
  absorb(await http.request<Record<string, unknown>>('GET', `/tasks/${encodeURIComponent(taskId)}`, { idempotent: true, signal: opts.signal }));
  return task;
}

/** One stream connection: returns when it ends, drops, idles out, or the task is terminal. */
async function readStream(
  http: CloudHttp,
  taskId: string,
  opts: FollowOptions,
  absorb: (u: Record<string, unknown>) => void,
  done: () => boolean,
  timeLeft: () => number,
): Promise<StreamOutcome> {
  const local = new AbortController();
  const signal = AbortSignal.any([opts.signal, local.signal]);
  const res = await http.openStream(`/tasks/${encodeURIComponent(taskId)}/stream`, 'application/x-ndjson', signal);
  // Out-of-band checks while the stream is open: the deadline, and a terminal status the stream
  // did not (or not yet) deliver. Either hands over to the polling loop, which fetches the truth.
  let handOver = false;
  let checking = false;
  const watchdog = setInterval(() => {
    if (checking) return;
    if (timeLeft() <= 0) {
      handOver = true;
      local.abort();
      return;
    }
    checking = true;
    http
      .request<{ status: unknown }>('GET', `/tasks/${encodeURIComponent(taskId)}/status`, { idempotent: true, signal })
      .then((s) => {
        if (isTerminal(parseStatus(s.status)) && !done()) {
          handOver = true;
          local.abort();
        }
      })
      .catch(() => undefined)
      .finally(() => {
        checking = false;
      });
  }, opts.streamCheckMs ?? 30_000);
  const sse = (res.headers.get('content-type') ?? '').includes('text/event-stream');
  const idleMs = opts.streamIdleMs ?? 65_000;
  let idle: NodeJS.Timeout = setTimeout(() => local.abort(), idleMs);
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => local.abort(), idleMs);
  };
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    if (!res.body) return 'ended';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      touch();
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const raw of lines) {
        const update = parseStreamLine(raw, sse);
        if (update) absorb(update);
        if (done()) {
          local.abort();
          return 'terminal';
        }
      }
    }
    return done() ? 'terminal' : 'ended';
  } catch (e) {
    if (opts.signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
    if (local.signal.aborted) return done() ? 'terminal' : handOver ? 'poll' : 'ended';
    throw e;
  } finally {
    clearTimeout(idle);
    clearInterval(watchdog);
  }
}

/**
 * One line of the stream as a task update, or null for heartbeats, comments and blanks.
 * NDJSON kinds: {"type":"heartbeat"}, {"data":{...},"fields":[...]}, {"event":"x","data":{...}},
 * or a bare task. SSE carries the same JSON after "data: ".
 */
export function parseStreamLine(raw: string, sse: boolean): Record<string, unknown> | null {
  let line = raw.trim();
  if (!line) return null;
  if (sse) {
    if (line.startsWith(':') || line.startsWith('event:') || line.startsWith('id:') || line.startsWith('retry:')) return null;
    if (!line.startsWith('data:')) return null;
    line = line.slice(5).trim();
  }
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return null;
  }
  if (!obj || typeof obj !== 'object') return null;
  const o = obj as Record<string, unknown>;
  if (o.type === 'heartbeat') return null;
  if (o.data && typeof o.data === 'object' && ('fields' in o || 'event' in o)) return o.data as Record<string, unknown>;
  return o;
}
