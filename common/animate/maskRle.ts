/**
 * Binary masks as run lengths (zeros first, then ones, alternating): a person mask is a few
 * hundred runs, so it crosses JSON (the WebSocket, the library cache) small.
 */
export function encodeRuns(data: Uint8Array): number[] {
  const runs: number[] = [];
  let value = 0;
  let length = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ? 1 : 0;
    if (v === value) length++;
    else {
      runs.push(length);
      value = v;
      length = 1;
    }
  }
  runs.push(length);
  return runs;
}

export function decodeRuns(runs: readonly number[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  runs.forEach((n, i) => {
    const end = Math.min(size, at + n);
    if (i % 2 === 1) out.fill(1, at, end);
    at = end;
  });
  return out;
}
