import { describe, expect, it } from 'vitest';
import { newId } from '../../../main/core/library/ids';

describe('newId', () => {
  it('is 16 URL-safe characters', () => {
    expect(newId()).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('draws again when the bytes would start the id with "-" (a command line would read it as an option)', () => {
    // 0xF8 puts 62 in the first six bits: "-" in base64url.
    const draws = [Buffer.alloc(12, 0xf8), Buffer.alloc(12, 0x10)];
    const id = newId(() => draws.shift() as Buffer);
    expect(Buffer.alloc(12, 0xf8).toString('base64url')[0]).toBe('-');
    expect(id).toBe(Buffer.alloc(12, 0x10).toString('base64url'));
    expect(draws).toEqual([]);
  });
});
