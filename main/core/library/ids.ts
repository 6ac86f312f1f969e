import { randomBytes } from 'node:crypto';

type RandomBytes = (size: number) => Buffer;

/**
 * 16 URL-safe characters (96 random bits): safe in file names, URLs and the contract's id schema.
 * Never starts with "-": ids are typed as command-line arguments, where a leading dash reads as an
 * option (`wan-studio queue move -Ab… --to 2` would be a usage error one time in 64).
 */
export function newId(random: RandomBytes = randomBytes): string {
  for (;;) {
    const id = random(12).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
