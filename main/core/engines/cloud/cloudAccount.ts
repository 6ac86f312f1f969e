import type { CloudCheck, CloudStatus } from '../../contract/cloudTypes';
import type { Library } from '../../library/library';
import { cloudFailure } from './cloudErrors';
import { CloudHttp } from './cloudHttp';
import { resolveApiKey, resolveBaseUrl, type SecretStore } from './secretStore';
import type { CloudConnection } from './cloudEngine';

/**
 * The studio's inference.sh account: where the key and base URL come from. The key is read from
 * its store for each use and handed only to the HTTP client; status reports say where it came
 * from, never what it is.
 */
export class CloudAccount {
  constructor(
    private readonly library: Library,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async connection(): Promise<CloudConnection> {
    const { key } = await resolveApiKey(this.secrets, this.env);
    return { baseUrl: resolveBaseUrl(this.library.readSettings().cloudBaseUrl, this.env).url, apiKey: key };
  }

  async status(): Promise<CloudStatus> {
    const { source } = await resolveApiKey(this.secrets, this.env);
    const base = resolveBaseUrl(this.library.readSettings().cloudBaseUrl, this.env);
    return { keySource: source, keyStore: this.secrets.kind, baseUrl: base.url, baseUrlSource: base.source };
  }

  async setKey(key: string): Promise<CloudStatus> {
    await this.secrets.write(key.trim());
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
    if (!key) return { ok: false, message: 'No API key: paste your inference.sh key above (or set INFERENCE_API_KEY).' };
    const http = new CloudHttp({ baseUrl: c.baseUrl, apiKey: () => key, retry: { attempts: 2 }, requestTimeoutMs: 15_000 });
    try {
      await http.request('GET', '/apps/infsh/wan-2-2-s2v', { idempotent: true });
      return { ok: true, message: `Connected to ${c.baseUrl}; the key was accepted.` };
    } catch (e) {
      return { ok: false, message: cloudFailure(e, 'The connection check').message };
    }
  }
}
