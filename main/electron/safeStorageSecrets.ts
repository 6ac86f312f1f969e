import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, writePrivateFile, type SecretStore } from '../core/engines/cloud/secretStore';

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

  write(secret: string): Promise<void> {
    return writePrivateFile(this.path, safeStorage.encryptString(secret));
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

export function safeStorageSecrets(home: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return FileSecretStore.inLibrary(home);
  return new SafeStorageSecretStore(join(home, 'secrets', 'inference-api-key.enc'));
}
