/** Byte tokenizer (docs/model-pack.md): 1 = bos, UTF-8 bytes + 3, 2 = eos, 0-padded to maxLength. */
export function tokenize(text: string, maxLength: number): BigInt64Array {
  const ids = new BigInt64Array(maxLength);
  const bytes = new TextEncoder().encode(text);
  ids[0] = 1n;
  let n = 1;
  for (const b of bytes) {
    if (n >= maxLength - 1) break;
    ids[n++] = BigInt(b + 3);
  }
  ids[Math.min(n, maxLength - 1)] = 2n;
  return ids;
}
