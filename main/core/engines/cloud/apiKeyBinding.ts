import { apiAddressProblem, DEFAULT_API_ADDRESS, normaliseApiAddress, sameApiAddress } from '../../contract/apiAddress';

/**
 * Which key goes to which address. A saved key is bound to the API address it was entered for:
 * if the address changes (Settings, INFERENCE_BASE_URL), the key is not sent to the new one until
 * the user enters it again for it. INFERENCE_API_KEY belongs to its own environment: it is sent
 * to the public service, or to the INFERENCE_BASE_URL given beside it, never to an address that
 * came from Settings.
 */

export interface StoredKey {
  key: string;
  /** Normalised address the key was entered for. */
  address: string;
}

export type KeySource = 'env' | 'stored' | 'none';

export interface ApiAddress {
  url: string;
  source: 'env' | 'setting' | 'default';
}

export interface CloudCredentials {
  address: ApiAddress;
  key: string | null;
  keySource: KeySource;
  /** Why no key is sent although one exists (or the address is unusable); null otherwise. */
  problem: string | null;
}

export function encodeStoredKey(stored: StoredKey): string {
  return JSON.stringify({ key: stored.key, address: stored.address });
}

/** A bare key (saved before keys were bound) was entered for the public service. */
export function decodeStoredKey(text: string | null): StoredKey | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  if (!trimmed.startsWith('{')) return { key: trimmed, address: DEFAULT_API_ADDRESS };
  try {
    const v = JSON.parse(trimmed) as { key?: unknown; address?: unknown };
    if (typeof v.key !== 'string' || typeof v.address !== 'string' || !v.key) return null;
    return { key: v.key, address: v.address };
  } catch {
    return null;
  }
}

/** INFERENCE_BASE_URL wins over the setting, which wins over the public service. */
export function resolveApiAddress(setting: string | null, env: NodeJS.ProcessEnv): ApiAddress {
  const fromEnv = env.INFERENCE_BASE_URL?.trim();
  if (fromEnv) return { url: tidy(fromEnv), source: 'env' };
  if (setting) return { url: tidy(setting), source: 'setting' };
  return { url: DEFAULT_API_ADDRESS, source: 'default' };
}

const tidy = (url: string): string => {
  try {
    return normaliseApiAddress(url);
  } catch {
    return url.replace(/\/+$/, '');
  }
};

const where = (a: ApiAddress): string => (a.source === 'env' ? `${a.url} (from INFERENCE_BASE_URL)` : a.source === 'setting' ? `${a.url} (from Settings → Cloud)` : a.url);

export function resolveCredentials(address: ApiAddress, stored: StoredKey | null, env: NodeJS.ProcessEnv): CloudCredentials {
  const none = (problem: string | null): CloudCredentials => ({ address, key: null, keySource: 'none', problem });
  const addressProblem = apiAddressProblem(address.url);
  if (addressProblem) {
    const fix = address.source === 'env' ? 'Fix or unset INFERENCE_BASE_URL' : 'Fix the address in Settings → Cloud';
    return none(`The API address ${where(address)} ${addressProblem}. No key is sent to it. ${fix}.`);
  }
  const envKey = env.INFERENCE_API_KEY?.trim();
  if (envKey && (address.source === 'env' || sameApiAddress(address.url, DEFAULT_API_ADDRESS))) {
    return { address, key: envKey, keySource: 'env', problem: null };
  }
  if (stored && sameApiAddress(stored.address, address.url)) return { address, key: stored.key, keySource: 'stored', problem: null };
  if (stored) {
    return none(
      `The saved API key was entered for ${stored.address}, but the API address is now ${where(address)}. ` +
        `The key is not sent to a new address: enter the key again in Settings → Cloud (or "wan-studio cloud key set") to use it with ${address.url}.`,
    );
  }
  if (envKey) {
    return none(
      `INFERENCE_API_KEY is sent only to the public service (${DEFAULT_API_ADDRESS}) or to an INFERENCE_BASE_URL set beside it, ` +
        `and the API address is ${where(address)}. Enter a key for this address in Settings → Cloud, or set INFERENCE_BASE_URL together with the key.`,
    );
  }
  return none(null);
}
