import { expect, it } from 'vitest';
import type { Channel } from '../../../main/core/contract/index';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { s2vProject } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { report } from '../helpers/benchTools';

const JOBS = 1000;

async function timedCall(core: StudioCore, channel: Channel, input: unknown): Promise<number> {
  const t = performance.now();
  const env = await core.dispatch(channel, input, { transport: 'ipc' });
  const ms = performance.now() - t;
  if (!env.ok) throw new Error(`${channel}: ${env.error.message}`);
  return ms;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)] as number;
};
const p99 = (xs: number[]) => quantile(xs, 0.99);
const line = (xs: number[], base: number) => `p50 ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${p99(xs).toFixed(2)} ms (${(p99(xs) / base).toFixed(1)}x baseline)`;

it(`queueing ${JOBS} jobs and listing the queue: p99 contract latency, against a trivial call measured in the same run`, async () => {
  const core = await createStudioCore({ home: makeTempDir('bench-queue'), log: silentLogger, env: { INFERENCE_API_KEY: 'inf_bench_queue_1', INFERENCE_BASE_URL: 'http://127.0.0.1:9' } });
  try {
    const projectId = await s2vProject(core);
    // Held: nothing starts, the bench measures the queue and not the renders.
    await core.dispatch('queue.pauseAll', {}, { transport: 'ipc' });
    const baseline: number[] = [];
    const submit: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      submit.push(await timedCall(core, 'render.submit', { projectId, engine: 'cloud' }));
      baseline.push(await timedCall(core, 'library.listProjects', {}));
    }
    const list: number[] = [];
    const listAll: number[] = [];
    const move: number[] = [];
    const ids = core.library.queue.waiting().map((j) => j.id);
    for (let i = 0; i < 200; i++) {
      list.push(await timedCall(core, 'queue.list', {}));
      listAll.push(await timedCall(core, 'queue.list', { limit: 500 }));
      move.push(await timedCall(core, 'queue.move', { jobId: ids[(i * 37) % ids.length] as string, index: (i * 101) % JOBS }));
      baseline.push(await timedCall(core, 'library.listProjects', {}));
    }
    const base = p99(baseline);
    const rows = {
      'baseline (listProjects)': `p50 ${quantile(baseline, 0.5).toFixed(2)} ms, p99 ${base.toFixed(2)} ms`,
      'render.submit': line(submit, base),
      'queue.list 200 rows': line(list, base),
      'queue.list 500 rows': line(listAll, base),
      'queue.move': line(move, base),
      goal: 'p99 under 50 ms on an idle machine',
    };
    report(`queue of ${JOBS} jobs`, rows);
    expect(core.library.jobs.queueCounts().waiting).toBe(JOBS);
    // Timings are reported, not asserted: the shared machine's load decides the tail.
    expect(list.length + move.length + submit.length).toBe(2 * 200 + JOBS);
  } finally {
    await core.dispose();
  }
});
