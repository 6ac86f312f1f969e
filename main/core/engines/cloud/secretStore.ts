import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where the inference.sh key lives. In the app it is Electron safeStorage (OS keychain-backed
 * encryption, in main/electron/); headless it is a file only its owner can read. Either way the
 * key goes from here to the Authorization header and nowhere else: not to the page, the logs,
 * job params, or any upload/download host. What is stored is the key together with the API address
 * it was entered for (apiKeyBinding), so both stores bind the key the same way.
 */
export interface SecretStore {
  readonly kind: 'file' | 'os-encrypted';
  read(): Promise<string | null>;
  write(secret: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * Writes a file only its owner can read, in a 0700 folder, through a 0600 temp name and a rename:
 * never half-written, never briefly readable by others.
 */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** A 0600 file, written to a temp name (also 0600) and renamed, so it is never half-written or briefly readable. */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  constructor(private readonly path: string) {}

  static inLibrary(home: string): FileSecretStore {
    return new FileSecretStore(join(home, 'secrets', 'inference-api-key'));
  }

  async read(): Promise<string | null> {
    try {
      const v = (await readFile(this.path, 'utf8')).trim();
      return v || null;
    } catch {
      return null;
    }
  }

  write(secret: string): Promise<void> {
    return writePrivateFile(this.path, secret);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
