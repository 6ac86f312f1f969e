import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudFailure } from '../../../main/core/engines/cloud/cloudErrors';
import { CloudHttp } from '../../../main/core/engines/cloud/cloudHttp';
import { CrossOriginRedirectError } from '../../../main/core/engines/cloud/keyedFetch';

const KEY = 'inf_redirect_test_key_5b1c';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** A plain HTTP listener that records every request and answers through `answer`. */
async function listener(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

describe('requests carrying the API key and redirects', () => {
  it('a redirect to another origin is refused before anything reaches it, with a message saying why', async () => {
    const attacker = await listener((_req, res) => json(res, { stolen: true }));
    const api = await listener((req, res) => res.writeHead(307, { Location: `${attacker.url}${req.url ?? '/'}` }).end());
    const http = new CloudHttp({ baseUrl: api.url, apiKey: () => KEY, retry: { attempts: 3 } });

    const request = await http.request('POST', '/apps/run', { idempotent: false, body: { app: 'x' } }).catch((e: unknown) => e);
    const stream = await http.openStream('/tasks/t1/stream', 'text/event-stream', new AbortController().signal).catch((e: unknown) => e);
    for (const e of [request, stream]) {
      expect(e).toBeInstanceOf(CrossOriginRedirectError);
      const message = cloudFailure(e, 'Checking the key').message;
      expect(message).toContain(`the API address ${api.url} redirected to another address (${attacker.url})`);
      expect(message).toContain('does not send the API key to another address');
    }
    expect(attacker.seen).toEqual([]);
    // Not retried: one request each reached the API address, and with the key.
    expect(api.seen.map((s) => [s.method, s.authorization])).toEqual([
      ['POST', `Bearer ${KEY}`],
      ['GET', `Bearer ${KEY}`],
    ]);
  });

  it('a redirect within the API address is followed (303 turns a POST into a GET)', async () => {
    const api = await listener((req, res) => {
      if (req.url === '/old/apps') return res.writeHead(308, { Location: '/apps' }).end();
      if (req.url === '/apps/run') return res.writeHead(303, { Location: '/tasks/t9' }).end();
      json(res, { path: req.url, method: req.method });
    });
    const http = new CloudHttp({ baseUrl: api.url, apiKey: () => KEY });
    expect(await http.request('GET', '/old/apps', { idempotent: true })).toEqual({ path: '/apps', method: 'GET' });
    expect(await http.request('POST', '/apps/run', { idempotent: false, body: {} })).toEqual({ path: '/tasks/t9', method: 'GET' });
    expect(api.seen.every((s) => s.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /old/apps', 'GET /apps', 'POST /apps/run', 'GET /tasks/t9']);
  });
});
