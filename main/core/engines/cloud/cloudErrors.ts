import { StudioError } from '../../contract/errors';
import { CrossOriginRedirectError } from './keyedFetch';

export interface Requirement {
  type?: string;
  key?: string;
  message?: string;
  action?: { type?: string; provider?: string; scopes?: string[] };
}

/** A non-2xx answer from the API, with what the body and headers said. */
export class CloudHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | null,
    readonly retryAfterMs: number | null,
    readonly requirements: Requirement[] | null,
  ) {
    super(`HTTP ${status}: ${detail}`);
    this.name = 'CloudHttpError';
  }
}

/** Network-level failure (no HTTP answer): DNS, refused, reset, timeout. */
export class CloudNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CloudNetworkError';
  }
}

const requirementAction: Record<string, string> = {
  add_secret: 'add the secret in your inference.sh account settings',
  connect: 'connect the integration in your inference.sh account',
  add_scopes: 'grant the missing scopes in your inference.sh account',
};

/** The message a person reads when a cloud call fails: what happened and what to do. */
export function cloudFailure(e: unknown, what: string): StudioError {
  if (e instanceof StudioError) return e;
  if (e instanceof CloudHttpError) {
    switch (true) {
      case e.status === 401 || e.status === 403:
        return new StudioError('forbidden', `${what} failed: the API key was rejected (${e.status}). Check the inference.sh key in Settings → Cloud.`);
      case e.status === 412: {
        const needs = (e.requirements ?? []).map((r) => `${r.message ?? r.key ?? 'a requirement'}${r.action?.type ? ` (${requirementAction[r.action.type] ?? r.action.type})` : ''}`);
        return new StudioError('unavailable', `${what} failed: your inference.sh account is missing something this app needs: ${needs.join('; ') || e.detail}.`);
      }
      case e.status === 429:
        return new StudioError('unavailable', `${what} failed: inference.sh is rate limiting this key. Wait a minute and try again.`);
      case e.status === 404:
        return new StudioError('not_found', `${what} failed: inference.sh does not know it (${e.detail}).`);
      case e.status === 400 || e.status === 422:
        return new StudioError('invalid_input', `${what} failed: inference.sh refused the input (${e.detail}).`);
      case e.status >= 500:
        return new StudioError('unavailable', `${what} failed: inference.sh had a server error (${e.status}) and did not recover after retries. Try again later.`);
      default:
        return new StudioError('io_error', `${what} failed: inference.sh answered ${e.status} (${e.detail}).`);
    }
  }
  if (e instanceof CrossOriginRedirectError) {
    return new StudioError(
      'forbidden',
      `${what} failed: ${e.message}. The studio does not send the API key to another address. Check the API address in Settings → Cloud (or INFERENCE_BASE_URL) and use the address the service itself answers on.`,
    );
  }
  if (e instanceof CloudNetworkError) {
    return new StudioError('unavailable', `${what} failed: inference.sh could not be reached (${e.message}). Check the internet connection and the base URL in Settings → Cloud.`);
  }
  return new StudioError('internal', `${what} failed: ${e instanceof Error ? e.message : String(e)}.`);
}
