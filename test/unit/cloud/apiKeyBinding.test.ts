import { describe, expect, it } from 'vitest';
import { decodeStoredKey, encodeStoredKey, resolveApiAddress, resolveCredentials } from '../../../main/core/engines/cloud/apiKeyBinding';

const KEY = 'inf_bound_key_123456';
const ENV_KEY = 'inf_env_key_654321';

describe('a saved key is bound to the API address it was entered for', () => {
  it('is sent to that address, under any spelling of it', () => {
    const stored = decodeStoredKey(encodeStoredKey({ key: KEY, address: 'https://proxy.example' }));
    const c = resolveCredentials(resolveApiAddress('HTTPS://Proxy.Example:443/', {}), stored, {});
    expect(c).toMatchObject({ key: KEY, keySource: 'stored', problem: null });
  });

  it('is not sent after the address changes; the message says to enter it again in Settings → Cloud', () => {
    const stored = { key: KEY, address: 'https://api.inference.sh' };
    for (const address of [resolveApiAddress('http://127.0.0.1:9', {}), resolveApiAddress(null, { INFERENCE_BASE_URL: 'https://other.example' })]) {
      const c = resolveCredentials(address, stored, {});
      expect(c.key).toBeNull();
      expect(c.problem).toContain('The saved API key was entered for https://api.inference.sh');
      expect(c.problem).toContain('enter the key again in Settings → Cloud');
      expect(c.problem).not.toContain(KEY);
    }
  });

  it('a bare key saved by an older studio belongs to the public service', () => {
    expect(decodeStoredKey(`${KEY}\n`)).toEqual({ key: KEY, address: 'https://api.inference.sh' });
    expect(decodeStoredKey('{"key":1}')).toBeNull();
    expect(decodeStoredKey('{broken')).toBeNull();
    expect(decodeStoredKey('')).toBeNull();
  });
});

describe('INFERENCE_API_KEY belongs to its own environment', () => {
  it('goes to the public service', () => {
    expect(resolveCredentials(resolveApiAddress(null, {}), null, { INFERENCE_API_KEY: ENV_KEY })).toMatchObject({ key: ENV_KEY, keySource: 'env' });
  });

  it('goes to the INFERENCE_BASE_URL set beside it', () => {
    const env = { INFERENCE_API_KEY: ENV_KEY, INFERENCE_BASE_URL: 'http://127.0.0.1:4000' };
    expect(resolveCredentials(resolveApiAddress('https://setting.example', env), null, env)).toMatchObject({ key: ENV_KEY, keySource: 'env' });
  });

  it('never goes to an address from Settings', () => {
    const env = { INFERENCE_API_KEY: ENV_KEY };
    const c = resolveCredentials(resolveApiAddress('http://127.0.0.1:4000', env), null, env);
    expect(c.key).toBeNull();
    expect(c.problem).toContain('INFERENCE_API_KEY is sent only to the public service');
    // A key saved for that address is used instead.
    const saved = resolveCredentials(resolveApiAddress('http://127.0.0.1:4000', env), { key: KEY, address: 'http://127.0.0.1:4000' }, env);
    expect(saved).toMatchObject({ key: KEY, keySource: 'stored' });
  });

  it('never goes to an INFERENCE_BASE_URL that breaks the address rule', () => {
    const env = { INFERENCE_API_KEY: ENV_KEY, INFERENCE_BASE_URL: 'http://api.example.com' };
    const c = resolveCredentials(resolveApiAddress(null, env), null, env);
    expect(c.key).toBeNull();
    expect(c.problem).toContain('must use https://');
    expect(c.problem).toContain('INFERENCE_BASE_URL');
  });
});
