import { StudioError } from '../../contract/errors';
import { CloudHttpError, CloudNetworkError, type Requirement } from './cloudErrors';
import { CrossOriginRedirectError, fetchWithinOrigin } from './keyedFetch';

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A rate-limit wait longer than this is not waited out: the call fails and says when to retry. */
  maxRateLimitWaitMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 400, maxDelayMs: 8000, maxRateLimitWaitMs: 90_000 };

export interface CloudHttpOptions {
  baseUrl: string;
  /** Read when a request is made; never stored on the client object's visible state. */
  apiKey: () => string;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  clientSource?: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Safe to repeat after a network error or 5xx (GET, cancel). POST /apps/run is not. */
  idempotent: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Full jitter: a random wait up to the exponential cap, so many clients do not retry in step. */
export const backoffMs = (attempt: number, p: RetryPolicy, random = Math.random): number => Math.round(random() * Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt));

/** Retry-After (seconds or an HTTP date) or X-RateLimit-Reset (unix seconds), as a wait in ms. */
export function rateLimitWaitMs(headers: Headers, nowMs = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - nowMs);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset && Number.isFinite(Number(reset))) return Math.max(0, Number(reset) * 1000 - nowMs);
  return null;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new StudioError('cancelled', 'Cancelled.'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new StudioError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Unwraps the v1 `{success, data | error}` envelope when a server still sends it; v2 bodies pass through. */
export function unwrapBody(json: unknown): unknown {
  if (json && typeof json === 'object' && 'success' in json && typeof (json as { success: unknown }).success === 'boolean') {
    const env = json as { success: boolean; data?: unknown };
    return env.data;
  }
  return json;
}

function errorDetail(json: unknown, fallback: string): { detail: string; code: string | null; requirements: Requirement[] | null } {
  if (!json || typeof json !== 'object') return { detail: fallback, code: null, requirements: null };
  const j = json as Record<string, unknown>;
  if (Array.isArray(j.errors)) return { detail: 'requirements not met', code: 'requirements', requirements: j.errors as Requirement[] };
  // v2: RFC 9457 problem+json.
  if (typeof j.detail === 'string' || typeof j.title === 'string') {
    const type = typeof j.type === 'string' ? (j.type.split('/').pop() ?? null) : null;
    return { detail: String(j.detail ?? j.title), code: type, requirements: null };
  }
  // v1: {success:false, error:{code,message}} or {error: "..."}.
  const err = j.error;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    return { detail: String(e.message ?? fallback), code: typeof e.code === 'string' ? e.code : null, requirements: null };
  }
  if (typeof err === 'string') return { detail: err, code: null, requirements: null };
  if (typeof j.message === 'string') return { detail: j.message, code: null, requirements: null };
  return { detail: fallback, code: null, requirements: null };
}

/**
 * JSON calls to the inference.sh API: Bearer key, `X-API-Version: 2`, problem+json errors, the
 * v1 envelope still accepted. Retries network errors and 5xx only where repeating is safe, and
 * waits out 429s per Retry-After / X-RateLimit-Reset for any call (a 429 means it was not run).
 */
export class CloudHttp {
  readonly baseUrl: string;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: CloudHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...defaultRetry, ...options.retry };
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Authorization: `Bearer ${this.options.apiKey()}`,
      'X-API-Version': '2',
      'X-Client-Source': this.options.clientSource ?? 'wan-studio',
      ...extra,
    };
  }

  async request<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.once<T>(method, path, opts);
      } catch (e) {
        if (opts.signal?.aborted) throw new StudioError('cancelled', 'Cancelled.');
        const wait = this.retryDelay(e, attempt, opts.idempotent);
        if (wait === null) throw e;
        attempt++;
        await sleep(wait, opts.signal);
      }
    }
  }

  /** How long to wait before trying again, or null when the error is final. */
  private retryDelay(e: unknown, attempt: number, idempotent: boolean): number | null {
    if (attempt + 1 >= this.retry.attempts) return null;
    if (e instanceof CloudHttpError) {
      if (e.status === 429) {
        const wait = e.retryAfterMs ?? backoffMs(attempt, this.retry);
        return wait <= this.retry.maxRateLimitWaitMs ? wait + backoffMs(0, { ...this.retry, baseDelayMs: 100 }) : null;
      }
      if (e.status >= 500 && idempotent) return backoffMs(attempt, this.retry);
      return null;
    }
    if (e instanceof CloudNetworkError && idempotent) return backoffMs(attempt, this.retry);
    return null;
  }

  private async once<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetchWithinOrigin(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(opts.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
      });
    } catch (e) {
      if (opts.signal?.aborted) throw new StudioError('cancelled', 'Cancelled.');
      if (e instanceof CrossOriginRedirectError) throw e;
      throw new CloudNetworkError(timeout.aborted ? `no answer within ${Math.round((opts.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000) / 1000)} s` : describeNetworkError(e), { cause: e });
    }
    const text = await res.text().catch(() => '');
    const json = parseJson(text);
    if (!res.ok) {
      const { detail, code, requirements } = errorDetail(json, text.slice(0, 200) || res.statusText);
      throw new CloudHttpError(res.status, detail, code, res.status === 429 ? rateLimitWaitMs(res.headers) : null, requirements);
    }
    if (json && typeof json === 'object' && (json as { success?: unknown }).success === false) {
      const { detail, code } = errorDetail(json, 'request failed');
      throw new CloudHttpError(res.status, detail, code, null, null);
    }
    return unwrapBody(json) as T;
  }

  /** Opens a streaming GET; the caller reads the body. Errors are thrown like `request`'s. */
  async openStream(path: string, accept: string, signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetchWithinOrigin(`${this.baseUrl}${path}`, { headers: this.headers({ Accept: accept, 'Cache-Control': 'no-cache' }), signal });
    } catch (e) {
      if (signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
      if (e instanceof CrossOriginRedirectError) throw e;
      throw new CloudNetworkError(describeNetworkError(e), { cause: e });
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      const json = parseJson(text);
      const { detail, code, requirements } = errorDetail(json, text.slice(0, 200));
      throw new CloudHttpError(res.status, detail, code, res.status === 429 ? rateLimitWaitMs(res.headers) : null, requirements);
    }
    return res;
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}
