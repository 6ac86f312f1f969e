import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudFailure, CloudHttpError, CloudNetworkError } from '../../../main/core/engines/cloud/cloudErrors';
import { backoffMs, defaultRetry, rateLimitWaitMs, unwrapBody } from '../../../main/core/engines/cloud/cloudHttp';
import { outputFileOf } from '../../../main/core/engines/cloud/cloudEngine';
import { diffSchemas } from '../../../main/core/engines/cloud/schemaDiff';
import { decodeStoredKey, encodeStoredKey, resolveApiAddress, resolveCredentials } from '../../../main/core/engines/cloud/apiKeyBinding';
import { FileSecretStore } from '../../../main/core/engines/cloud/secretStore';
import { parseStreamLine } from '../../../main/core/engines/cloud/taskFollower';
import { isTerminal, parseStatus } from '../../../main/core/engines/cloud/taskStatus';
import { liveInputSchemas } from '../../fakes/infsh/liveSchemas';

describe('task statuses (current numbering)', () => {
  it('9 is uploading, not done; only 10, 11, 12 end a task', () => {
    expect(parseStatus(9)).toBe('uploading');
    expect(isTerminal(parseStatus(9))).toBe(false);
    expect([10, 11, 12].map((n) => parseStatus(n))).toEqual(['completed', 'failed', 'cancelled']);
    expect([10, 11, 12].every((n) => isTerminal(parseStatus(n)))).toBe(true);
  });
  it('accepts names in any case and numeric strings; anything else is unknown', () => {
    expect(parseStatus('COMPLETED')).toBe('completed');
    expect(parseStatus('setting-up')).toBe('setting_up');
    expect(parseStatus('7')).toBe('running');
    expect(parseStatus(42)).toBe('unknown');
    expect(parseStatus(null)).toBe('unknown');
  });
});

describe('wire formats', () => {
  it('unwraps the v1 envelope and passes v2 DTOs through', () => {
    expect(unwrapBody({ success: true, data: { id: 't' } })).toEqual({ id: 't' });
    expect(unwrapBody({ id: 't', success_rate: 1 })).toEqual({ id: 't', success_rate: 1 });
  });
  it('reads NDJSON and SSE lines, skipping heartbeats and comments', () => {
    expect(parseStreamLine('{"type":"heartbeat"}', false)).toBeNull();
    expect(parseStreamLine('{"data":{"status":7},"fields":["status"]}', false)).toEqual({ status: 7 });
    expect(parseStreamLine('{"event":"update","data":{"status":9}}', false)).toEqual({ status: 9 });
    expect(parseStreamLine('{"id":"t","status":2}', false)).toEqual({ id: 't', status: 2 });
    expect(parseStreamLine(': keep-alive', true)).toBeNull();
    expect(parseStreamLine('data: {"status":10}', true)).toEqual({ status: 10 });
    expect(parseStreamLine('not json', false)).toBeNull();
  });
  it('finds each app\'s output file', () => {
    expect(outputFileOf({ id: 't', status: 10, output: { file: { uri: 'https://x/o.mp4', size: 10 } } }, 's2v')).toEqual({ uri: 'https://x/o.mp4', size: 10 });
    expect(outputFileOf({ id: 't', status: 10, output: { output_video: 'https://x/a.mp4' } }, 'animate')).toEqual({ uri: 'https://x/a.mp4', size: null });
    expect(outputFileOf({ id: 't', status: 10, output: { file: { uri: 'https://x/o.mp4' } } }, 'animate')).toBeNull();
  });
});

describe('retries and rate limits', () => {
  it('Retry-After in seconds or as a date, X-RateLimit-Reset as unix seconds', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(rateLimitWaitMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(rateLimitWaitMs(new Headers({ 'retry-after': 'Fri, 27 Nov 2026 12:00:05 GMT' }), now)).toBe(5000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 7) }), now)).toBe(7000);
    expect(rateLimitWaitMs(new Headers({}), now)).toBeNull();
  });
  it('full-jitter backoff stays under the exponential cap', () => {
    for (let a = 0; a < 8; a++) {
      expect(backoffMs(a, defaultRetry, () => 0.999)).toBeLessThanOrEqual(Math.min(defaultRetry.maxDelayMs, defaultRetry.baseDelayMs * 2 ** a));
      expect(backoffMs(a, defaultRetry, () => 0)).toBe(0);
    }
  });
  it('errors read as what happened and what to do', () => {
    expect(cloudFailure(new CloudHttpError(403, 'forbidden', null, null, null), 'The render').message).toMatch(/API key was rejected \(403\)/);
    expect(cloudFailure(new CloudHttpError(412, 'x', 'requirements', null, [{ message: 'Connect Google', action: { type: 'connect' } }]), 'The render').message).toContain(
      'Connect Google (connect the integration in your inference.sh account)',
    );
    expect(cloudFailure(new CloudNetworkError('ECONNREFUSED'), 'The render').message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});

describe('key and address', () => {
  it('INFERENCE_API_KEY wins over the stored key at the public service; the stored key is a 0600 file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wan-secret-'));
    const store = FileSecretStore.inLibrary(dir);
    const publicService = resolveApiAddress(null, {});
    const keyFor = async (env: NodeJS.ProcessEnv) => {
      const c = resolveCredentials(publicService, decodeStoredKey(await store.read()), env);
      return { key: c.key, source: c.keySource };
    };
    expect(await keyFor({})).toEqual({ key: null, source: 'none' });
    await store.write(encodeStoredKey({ key: 'inf_stored_123456', address: publicService.url }));
    expect(statSync(join(dir, 'secrets', 'inference-api-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(await keyFor({})).toEqual({ key: 'inf_stored_123456', source: 'stored' });
    expect(await keyFor({ INFERENCE_API_KEY: 'inf_env_999999' })).toEqual({ key: 'inf_env_999999', source: 'env' });
    await store.clear();
    expect(await store.read()).toBeNull();
  });
  it('INFERENCE_BASE_URL wins over the setting, which wins over the public service', () => {
    expect(resolveApiAddress('https://proxy.local/', { INFERENCE_BASE_URL: 'http://127.0.0.1:9/' })).toEqual({ url: 'http://127.0.0.1:9', source: 'env' });
    expect(resolveApiAddress('https://proxy.local/', {})).toEqual({ url: 'https://proxy.local', source: 'setting' });
    expect(resolveApiAddress(null, {}).source).toBe('default');
  });
});

describe('live schema diff', () => {
  it('the reference schemas of both apps match the studio parameters', () => {
    expect(diffSchemas('s2v', liveInputSchemas['infsh/wan-2-2-s2v']!)).toEqual([]);
    expect(diffSchemas('animate', liveInputSchemas['infsh/wan-2-2-animate-v2v']!)).toEqual([]);
  });
  it('reports a changed default, a new field and a removed one', () => {
    const live = structuredClone(liveInputSchemas['infsh/wan-2-2-s2v']!) as { properties: Record<string, Record<string, unknown>> };
    live.properties.fps = { ...live.properties.fps, default: 24 };
    live.properties.motion_strength = { type: 'number', default: 1 };
    delete live.properties.enable_first_block_cache;
    const kinds = diffSchemas('s2v', live).map((d) => `${d.field}:${d.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['fps:default', 'motion_strength:missing_in_studio', 'enable_first_block_cache:missing_in_cloud']));
  });
});
