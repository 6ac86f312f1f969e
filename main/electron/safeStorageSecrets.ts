import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, type SecretStore } from '../core/engines/cloud/secretStore';

/**
 * The app's key store: encrypted with Electron safeStorage (Keychain, DPAPI, libsecret/kwallet),
 * in a 0600 file written to a temp name and renamed. Where the OS offers no encryption (a bare
 * Linux session without a keyring) it falls back to the plain 0600 file and says so
 * (Settings shows keyStore "file").
 */
class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'os-encrypted' as const;
  constructor(private readonly path: string) {}

  async read(): Promise<string | null> {
    try {
      const v = safeStorage.decryptString(await readFile(this.path)).trim();
      return v || null;
    } catch {
      return null;
    }
  }

  async write(secret: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, safeStorage.encryptString(secret), { mode: 0o600, flag: 'wx' });
      await chmod(tmp, 0o600);
      await rename(tmp, this.path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

export function safeStorageSecrets(home: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return FileSecretStore.inLibrary(home);
  return new SafeStorageSecretStore(join(home, 'secrets', 'inference-api-key.enc'));
}
