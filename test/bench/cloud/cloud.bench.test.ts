import { spawn } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CloudHttp } from '../../../main/core/engines/cloud/cloudHttp';
import { followTask } from '../../../main/core/engines/cloud/taskFollower';
import { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { bundleScript } from '../../helpers/bundleScript';
import { makePng, makeTempDir } from '../../helpers/generatedMedia';
import { report } from '../helpers/benchTools';

const KEY = 'inf_bench_key_000001';

it('uploading a 1 GB file grows RSS by less than 64 MB (streamed from disk)', async () => {
  const fake = await new FakeInfsh({ apiKeys: [KEY] }).start();
  try {
    const dir = makeTempDir('bench-upload');
    const file = join(dir, 'big.mp4');
    // A sparse 1 GiB file: every byte is read and sent, nothing is held.
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 1024 ** 3);
    closeSync(fd);
    const child = await bundleScript('test/bench/cloud/uploadChild.ts');
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [child, fake.baseUrl, KEY, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (c: Buffer) => (text += c.toString()));
      p.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`upload child exited ${code}`))));
    });
    const r = JSON.parse(out) as { before: number; peak: number; ms: number; progressEvents: number };
    const grewMb = (r.peak - r.before) / 1024 ** 2;
    const stored = [...fake.files.values()].find((f) => f.uploaded);
    report('upload 1 GiB', { 'RSS before MB': (r.before / 1024 ** 2).toFixed(1), 'RSS peak MB': (r.peak / 1024 ** 2).toFixed(1), 'growth MB': grewMb.toFixed(1), limit: '64 MB', 'throughput MB/s': (1024 / (r.ms / 1000)).toFixed(0), 'progress events': r.progressEvents });
    expect(stored && statSync(stored.path).size).toBe(1024 ** 3);
    expect(grewMb).toBeLessThan(64);
  } finally {
    await fake.stop();
  }
});

/** Follows `n` tasks at once; latency = when our client saw a status minus when the server set it. */
async function followMany(fake: FakeInfsh, n: number, streaming: boolean): Promise<{ latencies: number[]; connections: number; requests: number }> {
  const dir = makeTempDir('bench-follow');
  const http = new CloudHttp({ baseUrl: fake.baseUrl, apiKey: () => KEY });
  // Real tasks need real inputs: one uploaded portrait and sound, shared by all jobs.
  const { uploadFile } = await import('../../../main/core/engines/cloud/fileUpload');
  const signal = new AbortController().signal;
  const image = await uploadFile(http, makePng(join(dir, 'p.png'), '64x64'), { signal });
  const { makeWav } = await import('../../helpers/generatedMedia');
  const audio = await uploadFile(http, makeWav(join(dir, 'a.wav'), 1), { signal });
  fake.faults.noStream = !streaming;
  const before = { connections: fake.apiConnections, requests: fake.requests.length };
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      const task = await http.request<{ id: string }>('POST', '/apps/run', { idempotent: false, body: { app: 'infsh/wan-2-2-s2v', input: { image, audio, prompt: 'bench', resolution: '480p' } } });
      let last = '';
      await followTask(http, task.id, {
        signal,
        pollIntervalMs: 100,
        streamCheckMs: 60_000,
        onTask: (t) => {
          const at = typeof t.updated_at === 'string' ? t.updated_at : '';
          if (at && at !== last) {
            last = at;
            latencies.push(Date.now() - Date.parse(at));
          }
        },
      });
    }),
  );
  return { latencies, connections: fake.apiConnections - before.connections, requests: fake.requests.length - before.requests };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

it('50 jobs in flight: status latency p99 under 200 ms, and polling reuses connections', async () => {
  const fake = await new FakeInfsh({ apiKeys: [KEY], stepMs: 200, runMs: 1500, heartbeatMs: 1000 }).start();
  try {
    const streamed = await followMany(fake, 50, true);
    const polled = await followMany(fake, 50, false);
    report('50 jobs in flight', {
      'stream updates seen': streamed.latencies.length,
      'stream p50 ms': pct(streamed.latencies, 50),
      'stream p99 ms': pct(streamed.latencies, 99),
      limit: '200 ms',
      'stream connections': streamed.connections,
      'poll requests': polled.requests,
      'poll connections': polled.connections,
      'poll p99 ms (bounded by the 100 ms interval)': pct(polled.latencies, 99),
    });
    expect(pct(streamed.latencies, 99)).toBeLessThan(200);
    // One connection per concurrent job at most (keep-alive), not one per poll.
    expect(polled.requests).toBeGreaterThan(polled.connections * 3);
    expect(polled.connections).toBeLessThanOrEqual(60);
  } finally {
    await fake.stop();
  }
});
