import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportProgressEvent, JobDto } from '../../../main/core/contract/index';
import { silentLogger } from '../../../main/core/logger';
import { probeMedia } from '../../../main/core/media/probe';
import type { StudioCore } from '../../../main/core/studioCore';
import { openCloudCore, s2vProject, startFake } from '../../helpers/cloudStudio';
import { processesMentioning } from '../../helpers/processes';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function renderedOutput(): Promise<{ core: StudioCore; projectId: string; outputId: string; job: JobDto }> {
  const fake = await startFake();
  cleanups.push(() => fake.stop());
  const core = await openCloudCore(fake, { log: silentLogger });
  cleanups.push(() => core.dispose());
  const projectId = await s2vProject(core);
  const env = await core.dispatch('render.submit', { projectId, engine: 'cloud' }, { transport: 'ipc' });
  if (!env.ok) throw new Error(env.error.message);
  const job = await core.render.settled((env.value as JobDto).id);
  expect(job.status).toBe('completed');
  return { core, projectId, outputId: job.outputId!, job };
}

describe('exports of an output', () => {
  it('runs a preset through the contract with monotone progress, writes the seed into the file, and lists it', async () => {
    const { core, projectId, outputId, job } = await renderedOutput();
    const progress: ExportProgressEvent[] = [];
    const sub = core.events.onAny((name, p) => name === 'render.exportProgress' && progress.push(p as ExportProgressEvent));
    const env = await core.dispatch('render.export', { outputId, exportId: 'export_one', spec: { format: 'h264', fps: { target: 30, method: 'repeat' }, loudnorm: true } }, { transport: 'ws' });
    sub.dispose();
    expect(env.ok).toBe(true);
    const result = (env as { ok: true; value: { file: string; sizeBytes: number } }).value;
    const full = join(core.library.home, result.file);
    const info = await probeMedia(full);
    expect(info.video?.fps).toBeCloseTo(30, 1);
    expect(info.audio).not.toBeNull();
    const tags = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', full]).toString();
    expect(tags).toContain(String(job.seed));
    const fractions = progress.filter((p) => p.stage === 'encode' && p.fraction !== null).map((p) => p.fraction as number);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.some((p) => p.stage === 'loudness')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
    const listed = await core.dispatch('render.listOutputs', { projectId }, { transport: 'ws' });
    expect(listed.ok && (listed.value as Array<{ exports: unknown[] }>)[0]!.exports).toHaveLength(1);
  });

  it('a cancelled export stops ffmpeg, leaves no file behind, and says it was cancelled', async () => {
    const { core, outputId } = await renderedOutput();
    const exportsDir = join(core.library.layout.outputs);
    let sawProgress = false;
    const sub = core.events.onAny((name, p) => {
      if (name === 'render.exportProgress' && (p as ExportProgressEvent).exportId === 'export_slow' && (p as ExportProgressEvent).stage === 'encode') {
        sawProgress = true;
        void core.dispatch('render.cancelExport', { exportId: 'export_slow' }, { transport: 'ws' });
      }
    });
    // Motion interpolation to 60 fps at 2160p: slow enough to be cancelled mid-way.
    const env = await core.dispatch('render.export', { outputId, exportId: 'export_slow', spec: { format: 'prores', fps: { target: 60, method: 'interpolate' }, height: 2160 } }, { transport: 'ws' });
    sub.dispose();
    expect(sawProgress).toBe(true);
    expect(env.ok).toBe(false);
    expect(!env.ok && env.error.code).toBe('cancelled');
    const leftovers = readdirSync(exportsDir, { recursive: true }).map(String).filter((f) => f.includes('exports') && /\.(mov|tmp)/.test(f));
    expect(leftovers).toEqual([]);
    expect(processesMentioning(core.library.home)).toEqual([]);
  });

  it('deleting an output removes its video, poster and exports after the row', async () => {
    const { core, projectId, outputId } = await renderedOutput();
    const output = core.library.outputs.get(outputId);
    await core.dispatch('render.export', { outputId, exportId: 'export_gif', spec: { format: 'gif' } }, { transport: 'ws' });
    const env = await core.dispatch('render.removeOutput', { outputId }, { transport: 'ws' });
    expect(env.ok).toBe(true);
    expect(core.library.outputs.listByProject(projectId)).toEqual([]);
    expect(existsSync(join(core.library.home, output.file))).toBe(false);
    expect(existsSync(join(core.library.home, output.poster!))).toBe(false);
    expect(existsSync(join(core.library.layout.outputs, projectId, 'exports', outputId))).toBe(false);
  });
});

describe('ETA', () => {
  it('has no guess for the first job, and estimates the next one from it', async () => {
    const { core, projectId, job } = await renderedOutput();
    expect(job.etaMs).toBeNull();
    const etas: Array<number | null> = [];
    const sub = core.events.onAny((name, p) => {
      if (name === 'render.job' && (p as JobDto).status === 'running') etas.push((p as JobDto).etaMs);
    });
    const env = await core.dispatch('render.submit', { projectId, engine: 'cloud' }, { transport: 'ipc' });
    const second = await core.render.settled((env as { ok: true; value: JobDto }).value.id);
    sub.dispose();
    expect(second.status).toBe('completed');
    const known = etas.filter((e): e is number => e !== null);
    expect(known.length).toBeGreaterThan(0);
    // The first job took about a second or two; the estimate is of that order, and counts down.
    expect(known[0]!).toBeLessThan(20_000);
    expect(known.at(-1)!).toBeLessThanOrEqual(known[0]!);
  });
});
