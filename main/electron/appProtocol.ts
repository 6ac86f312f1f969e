import { protocol } from 'electron';
import { Readable } from 'node:stream';
import { resolveServableRealFile } from '../core/library/servableFile';
import { securityHeaders, studioCsp } from '../core/server/csp';
import { fileResponse, type FileResponse } from '../core/server/fileResponse';
import { resolveStaticFile } from '../core/server/staticFiles';

export const APP_SCHEME = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Must run before the app is ready: the page's origin is a standard, secure scheme of our own. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

const toWeb = (r: FileResponse, extra: Record<string, string> = {}): Response =>
  new Response(r.body ? (Readable.toWeb(r.body) as unknown as ReadableStream) : null, {
    status: r.status,
    headers: { ...r.headers, ...extra },
  });

/**
 * studio://app/... serves the built renderer with the CSP header; studio://media/<path> serves
 * library files (with Range, for video seeking) and refuses anything outside the library.
 */
export function handleAppScheme(rendererDir: string, libraryHome: string): void {
  const csp = studioCsp({ mediaSources: [`${APP_SCHEME}://media`] });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host === 'media') {
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.replace(/^\//, ''));
      } catch {
        return new Response('Bad media path.', { status: 400 });
      }
      const found = await resolveServableRealFile(libraryHome, rel);
      if (found.kind === 'refused') return new Response('Only files inside the library can be served.', { status: 403 });
      if (found.kind === 'missing') return new Response('Not found.', { status: 404 });
      return toWeb(await fileResponse(found.path, request.headers.get('range') ?? undefined, request.method), { 'X-Content-Type-Options': 'nosniff' });
    }
    if (url.host !== 'app') return new Response('Not found.', { status: 404 });
    const file = resolveStaticFile(rendererDir, url.pathname) ?? resolveStaticFile(rendererDir, '/');
    if (!file) return new Response('Not found.', { status: 404 });
    let r = await fileResponse(file, undefined, request.method);
    if (r.status === 404) {
      const index = resolveStaticFile(rendererDir, '/');
      if (index) r = await fileResponse(index, undefined, request.method);
    }
    return toWeb(r, file.endsWith('.html') || r.headers['Content-Type']?.startsWith('text/html') ? securityHeaders(csp) : {});
  });
}

