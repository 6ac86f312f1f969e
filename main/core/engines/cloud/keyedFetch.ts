/** The API answered with a redirect to another origin; following it would hand the key over. */
export class CrossOriginRedirectError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`the API address ${from} redirected to another address (${to})`);
    this.name = 'CrossOriginRedirectError';
  }
}

const MAX_REDIRECTS = 5;

/**
 * fetch for requests that carry the API key. Redirects are followed by hand and only within the
 * origin the key was entered for: fetch itself would follow a redirect to any host, and whether it
 * drops the Authorization header there depends on the runtime. A redirect elsewhere is refused.
 */
export async function fetchWithinOrigin(url: string, init: RequestInit): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, { ...request, redirect: 'manual' });
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (location === null) return res;
    await res.body?.cancel().catch(() => undefined);
    const next = new URL(location, current);
    if (next.origin !== origin) throw new CrossOriginRedirectError(origin, next.origin);
    if (hop + 1 >= MAX_REDIRECTS) throw new TypeError(`more than ${MAX_REDIRECTS} redirects from ${origin}`);
    // 303 (and 301/302 after a POST) turn into a GET without a body, as browsers and fetch do.
    const method = (request.method ?? 'GET').toUpperCase();
    if (res.status === 303 ? method !== 'HEAD' : (res.status === 301 || res.status === 302) && method === 'POST') {
      const { body: _body, ...rest } = request;
      request = { ...rest, method: 'GET' };
    }
    current = next.href;
  }
}
