/**
 * The one Content-Security-Policy for the studio page, sent by main (Electron protocol handler)
 * and by the headless server. No inline script, no eval, no foreign hosts.
 */
export function studioCsp(options: { mediaSources?: string[]; connectSources?: string[] } = {}): string {
  const media = ["'self'", 'blob:', 'data:', ...(options.mediaSources ?? [])].join(' ');
  const connect = ["'self'", ...(options.connectSources ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${media}`,
    `media-src ${media}`,
    "font-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every studio response carries, whichever transport serves it. */
export const securityHeaders = (csp: string): Record<string, string> => ({
  'Content-Security-Policy': csp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
});
