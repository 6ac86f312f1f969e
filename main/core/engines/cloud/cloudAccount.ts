import { apiAddressProblem, normaliseApiAddress } from '../../contract/apiAddress';
import type { CloudCheck, CloudStatus } from '../../contract/cloudTypes';
import { StudioError } from '../../contract/errors';
import type { Library } from '../../library/library';
import { decodeStoredKey, encodeStoredKey, resolveApiAddress, resolveCredentials, type CloudCredentials } from './apiKeyBinding';
import { cloudFailure } from './cloudErrors';
import { CloudHttp } from './cloudHttp';
import type { SecretStore } from './secretStore';
import type { CloudConnection } from './cloudEngine';

export const NO_KEY_MESSAGE = 'No API key: paste your inference.sh key in Settings → Cloud (or set INFERENCE_API_KEY).';

/**
 * The studio's inference.sh account: where the key and the API address come from. The key is
 * read from its store for each use and handed only to the HTTP client, and only when it belongs
 * to the current address (apiKeyBinding); status reports say where it came from, never what it is.
 */
export class CloudAccount {
  constructor(
    private readonly library: Library,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private async credentials(): Promise<CloudCredentials & { keySaved: boolean }> {
    const address = resolveApiAddress(this.library.readSettings().cloudBaseUrl, this.env);
    const stored = decodeStoredKey(await this.secrets.read());
    return { ...resolveCredentials(address, stored, this.env), keySaved: stored !== null };
  }

  async connection(): Promise<CloudConnection> {
    const c = await this.credentials();
    return { baseUrl: c.address.url, apiKey: c.key, keyProblem: c.problem };
  }

  async status(): Promise<CloudStatus> {
    const c = await this.credentials();
    return { keySource: c.keySource, keyStore: this.secrets.kind, baseUrl: c.address.url, baseUrlSource: c.address.source, keyProblem: c.problem, keySaved: c.keySaved };
  }

  /** Saves the key for the current API address: it is sent to that address only. */
  async setKey(key: string): Promise<CloudStatus> {
    const { url } = resolveApiAddress(this.library.readSettings().cloudBaseUrl, this.env);
    const problem = apiAddressProblem(url);
    if (problem) throw new StudioError('invalid_input', `The API address ${url} ${problem}. Fix it before saving a key for it.`);
    await this.secrets.write(encodeStoredKey({ key: key.trim(), address: normaliseApiAddress(url) }));
    return this.status();
  }

  async clearKey(): Promise<CloudStatus> {
    await this.secrets.clear();
    return this.status();
  }

  /** One cheap authenticated call: is the service reachable and is the key accepted? */
  async check(): Promise<CloudCheck> {
    const c = await this.connection();
    const key = c.apiKey;
    if (!key) return { ok: false, message: c.keyProblem ?? NO_KEY_MESSAGE };
    const http = new CloudHttp({ baseUrl: c.baseUrl, apiKey: () => key, retry: { attempts: 2 }, requestTimeoutMs: 15_000 });
    try {
      await http.request('GET', '/apps/infsh/wan-2-2-s2v', { idempotent: true });
      return { ok: true, message: `Connected to ${c.baseUrl}; the key was accepted.` };
    } catch (e) {
      return { ok: false, message: cloudFailure(e, 'The connection check').message };
    }
  }
}
