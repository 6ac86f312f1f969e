import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const newToken = (): string => randomBytes(24).toString('base64url');

export function tokensEqual(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookies are per host, not per port: the name carries the port so two servers never clash. */
export const cookieName = (port: number): string => `wan_studio_${port}`;

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A value that is not valid percent-encoding (a lone `%`) is no token at all, not a crash. */
function decodeCookieValue(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The request target as a URL, or null when it cannot be one (`//`, `//[`, `//a:99999`: the
 * URL parser reads them as a host). The server answers 400 to those instead of throwing.
 */
export function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '/';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://placeholder');
  } catch {
    return null;
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

export interface OriginPolicy {
  /** Origins the page itself is served from, e.g. http://127.0.0.1:5173. */
  allowedOrigins: ReadonlySet<string>;
  /** Host headers accepted (guards against DNS rebinding to a loopback server). */
  allowedHosts: ReadonlySet<string>;
}

/** A request with an Origin must come from our own page; one without is a non-browser client. */
export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin;
  return origin === undefined || policy.allowedOrigins.has(origin);
}

export function hostAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const host = req.headers.host;
  return host !== undefined && policy.allowedHosts.has(host.toLowerCase());
}
