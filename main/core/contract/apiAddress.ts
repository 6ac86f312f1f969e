import { z } from 'zod';

/**
 * The rule for the inference.sh API address (Settings → Cloud, INFERENCE_BASE_URL). The key
 * travels to this address in an Authorization header, so it must be https, except on this
 * machine (loopback: a local proxy or the fake service), where nothing crosses a network.
 */

export const DEFAULT_API_ADDRESS = 'https://api.inference.sh';

/** localhost, 127.0.0.0/8 and ::1: names that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/** What is wrong with an address, in words for the person who typed it; null when it is usable. */
export function apiAddressProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a web address like https://api.inference.sh';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https://';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.search || url.hash) return 'must not contain a query (?…) or fragment (#…)';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'must use https:// (plain http:// is allowed only for this computer: localhost or 127.0.0.1), because the API key is sent to it';
  }
  return null;
}

/** One spelling per address (lower-case host, no default port, no trailing slash), for comparing. */
export function normaliseApiAddress(text: string): string {
  const url = new URL(text.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Two spellings of the same address are the same address. */
export function sameApiAddress(a: string, b: string): boolean {
  try {
    return normaliseApiAddress(a) === normaliseApiAddress(b);
  } catch {
    return false;
  }
}

/** The setting: an address that passes the rule, or empty/null for the public service. */
export const apiAddressSchema = z
  .string({ error: 'must be text' })
  .trim()
  .max(2048, { error: 'is too long' })
  .superRefine((s, ctx) => {
    const problem = s.length === 0 ? null : apiAddressProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullable();
