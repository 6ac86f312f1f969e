import { describe, expect, it } from 'vitest';
import { apiAddressProblem, isLoopbackHost, normaliseApiAddress, sameApiAddress } from '../../../main/core/contract/apiAddress';
import { requests } from '../../../main/core/contract/index';
import { describeIssues } from '../../../main/core/contract/validation';

const settingProblem = (cloudBaseUrl: unknown): string => {
  const r = requests['settings.update'].input.safeParse({ patch: { cloudBaseUrl } });
  return r.success ? 'OK' : describeIssues(r.error.issues);
};

describe('the API address rule', () => {
  it.each([
    'https://api.inference.sh',
    'https://proxy.example.com:8443/infsh/',
    'http://127.0.0.1:9',
    'http://127.5.6.7',
    'http://localhost:3000',
    'http://[::1]:8080',
    'http://studio.localhost',
  ])('accepts %s', (address) => {
    expect(apiAddressProblem(address)).toBeNull();
    expect(settingProblem(address)).toBe('OK');
  });

  it.each([
    ['http://api.inference.sh', 'must use https://'],
    ['http://192.168.1.10:8080', 'must use https://'],
    ['http://127.0.0.1.evil.example', 'must use https://'],
    ['http://localhost.evil.example', 'must use https://'],
    ['http://[::ffff:7f00:1]', 'must use https://'],
    ['ftp://api.inference.sh', 'must start with https://'],
    ['https://user:pw@api.inference.sh', 'must not contain a user name or password'],
    ['https://api.inference.sh/?x=1', 'must not contain a query'],
    ['api.inference.sh', 'must be a web address'],
  ])('refuses %s', (address, why) => {
    expect(apiAddressProblem(address)).toContain(why);
    expect(settingProblem(address)).toContain(`patch.cloudBaseUrl: ${why}`);
  });

  it('empty and null mean the public service', () => {
    expect(settingProblem('')).toBe('OK');
    expect(settingProblem(null)).toBe('OK');
  });

  it('compares spellings of one address as equal, and different hosts, ports or schemes as different', () => {
    expect(normaliseApiAddress('HTTPS://API.inference.sh:443/')).toBe('https://api.inference.sh');
    expect(sameApiAddress('https://api.inference.sh/', 'https://api.inference.sh')).toBe(true);
    expect(sameApiAddress('http://127.0.0.1:9', 'http://127.0.0.1:10')).toBe(false);
    expect(sameApiAddress('https://a.example/v1', 'https://a.example/v2')).toBe(false);
    expect(sameApiAddress('not a url', 'not a url')).toBe(false);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});
