import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readCookie, requestUrl } from '../../../main/core/server/auth';

const req = (fields: { url?: string; cookie?: string }) => ({ url: fields.url, headers: { cookie: fields.cookie } }) as unknown as IncomingMessage;

describe('request parsing never throws on hostile input', () => {
  it.each(['//', '///', '//a:99999', '//[', 'http://x/', '*', ''])('request target %j is no URL', (url) => {
    expect(requestUrl(req({ url }))).toBeNull();
  });

  it('reads ordinary targets', () => {
    expect(requestUrl(req({ url: '/ws?x=1' }))?.pathname).toBe('/ws');
    expect(requestUrl(req({ url: '/media/a%20b.png' }))?.pathname).toBe('/media/a%20b.png');
  });

  it('a cookie value that is not valid percent-encoding reads as no cookie', () => {
    expect(readCookie(req({ cookie: 'wan_studio_1=%' }), 'wan_studio_1')).toBeUndefined();
    expect(readCookie(req({ cookie: 'a=b; wan_studio_1=%E0%A4%A' }), 'wan_studio_1')).toBeUndefined();
    expect(readCookie(req({ cookie: 'a=b; wan_studio_1=tok%3D' }), 'wan_studio_1')).toBe('tok=');
  });
});
