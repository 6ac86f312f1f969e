import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import type { FakeInfsh, HeldRequest } from '../fakes/infsh/fakeInfshServer';
import { bundleScript } from '../helpers/bundleScript';
import { processesMentioning } from '../helpers/processes';
import { openCloudCore, s2vProject, startFake, TEST_KEY } from '../helpers/cloudStudio';
import { makeMp4, makePng, makeTempDir, makeWav } from '../helpers/generatedMedia';

/**
 * kill -9 at random points of cloud renders (the submit window included) and of imports, then a
 * restart: no job is lost, no task is paid twice, the database is intact, and no file is left
 * that the library does not reference. Seeded, so a failing round can be replayed with
 * DRILL_SEED; bounded, so the file runs in a couple of minutes on a loaded machine.
 */
const SEED = Number(process.env.DRILL_SEED ?? 20261203);
const CLOUD_ROUNDS = Number(process.env.DRILL_CLOUD_ROUNDS ?? 8);
const IMPORT_ROUNDS = Number(process.env.DRILL_IMPORT_ROUNDS ?? 8);

/** mulberry32: a small seeded generator, so every run kills at the same points. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);
const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

let childScript: string;
let fake: FakeInfsh;
let cloudTemplate: { home: string; projectId: string };
let importTemplate: { home: string; projectId: string; files: string[] };

beforeAll(async () => {
  childScript = await bundleScript('test/fixtures/scripts/studioChild.ts');
  fake = await startFake({ runMs: 200, stepMs: 15 });
  const home = makeTempDir('drill-cloud-template');
  const core = await openCloudCore(fake, { home, log: silentLogger });
  cloudTemplate = { home, projectId: await s2vProject(core) };
  await core.dispose();
  const importHome = makeTempDir('drill-import-template');
  const src = makeTempDir('drill-import-src');
  importTemplate = {
    home: importHome,
    projectId: '',
    files: [makeMp4(join(src, 'take.mp4'), 2, '320x240'), makePng(join(src, 'face.png'), '256x256'), makeWav(join(src, 'voice.wav'), 2, 44100)],
  };
  // A library of its own with one empty project, for the import rounds.
  const importCore = await openCloudCore(fake, { home: importHome, log: silentLogger });
  importTemplate.projectId = importCore.library.createProject('Drill imports', 'animate').id;
  await importCore.dispose();
}, 120_000);

afterAll(async () => {
  await fake?.stop();
});

const counts = { cloudRounds: 0, kills: 0, inSubmitWindow: 0, killedBeforeArrival: 0, heldRequests: 0, atRandomTimes: 0, finishedBeforeKill: 0, importRounds: 0, importKills: 0 };

function freshHome(template: string, name: string): string {
  const home = makeTempDir(name);
  cpSync(template, home, { recursive: true });
  return home;
}

interface Child {
  home: string;
  /** Resolves once the child printed `text` (or ended). */
  printed: (text: string) => Promise<void>;
  exited: Promise<void>;
  done: () => boolean;
  kill: () => void;
  output: () => string;
}

function spawnChild(home: string, args: string[]): Child {
  const child = spawn(process.execPath, [childScript, home, fake.baseUrl, TEST_KEY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let finished = false;
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => ((finished = true), r())));
  const printed = (text: string) =>
    Promise.race([
      exited,
      new Promise<void>((r) => {
        const check = () => out.includes(text) && (waiters.delete(check), r());
        waiters.add(check);
        check();
      }),
    ]);
  return { home, printed, exited, done: () => finished, kill: () => child.kill('SIGKILL'), output: () => out };
}

type KillPoint = 'run-after-create' | 'run-before' | 'any-request' | 'random-time';

/**
 * Runs the child until the chosen point, then kills it with SIGKILL; false if it finished first.
 * Random times count from when the child printed `from` (the job exists by then).
 */
async function killAt(point: KillPoint, child: Child, from = ''): Promise<boolean> {
  let held: Promise<HeldRequest> | null = null;
  if (point === 'run-after-create') held = fake.hold({ method: 'POST', path: /^\/apps\/run$/, phase: 'after-create' });
  if (point === 'run-before') held = fake.hold({ method: 'POST', path: /^\/apps\/run$/, phase: 'before' });
  if (point === 'any-request') held = fake.hold({ method: '*', path: /./, phase: 'before', skip: Math.floor(random() * 6) });
  let request: HeldRequest | null = null;
  if (held) {
    request = await Promise.race([held, child.exited.then(() => null)]);
  } else {
    const ms = Math.floor(random() * 2500);
    await child.printed(from);
    // A deliberate random moment, not a synchronisation: whatever the child is doing then is the drill.
    await Promise.race([new Promise((r) => setTimeout(r, ms)), child.exited]);
  }
  fake.clearHolds();
  const killed = !child.done();
  if (!killed) {
    counts.finishedBeforeKill++;
  } else {
    child.kill();
    await child.exited;
    counts.kills++;
    if (point === 'run-after-create' && request) counts.inSubmitWindow++;
    if (point === 'run-before' && request) counts.killedBeforeArrival++;
    if (point === 'any-request' && request) counts.heldRequests++;
    if (point === 'random-time') counts.atRandomTimes++;
  }
  request?.drop();
  // Tool processes (ffmpeg) the studio started outlive it, as they would after a real crash:
  // the restart comes once they have ended, so what they write is there for it to find.
  await waitUntilGone(child.home);
  return killed;
}

async function waitUntilGone(home: string): Promise<void> {
  const end = Date.now() + 60_000;
  while (processesMentioning(home).length > 0) {
    if (Date.now() > end) throw new Error(`processes still use ${home}: ${processesMentioning(home).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Files the library holds that no row references, read straight from the database. */
function orphans(home: string): string[] {
  const db = new Database(join(home, 'library.db'), { readonly: true });
  try {
    const referenced = new Set<string>();
    for (const r of db.prepare('SELECT file, thumb, poster, peaks, playback, filmstrip_json FROM assets').all() as Array<Record<string, string | null>>) {
      for (const f of [r.file, r.thumb, r.poster, r.peaks, r.playback]) if (f) referenced.add(f);
      if (r.filmstrip_json) referenced.add((JSON.parse(r.filmstrip_json) as { file: string }).file);
    }
    for (const r of db.prepare('SELECT file, poster FROM outputs').all() as Array<Record<string, string | null>>) for (const f of [r.file, r.poster]) if (f) referenced.add(f);
    const jobIds = new Set((db.prepare('SELECT id FROM jobs').all() as Array<{ id: string }>).map((r) => r.id));
    const found: string[] = [];
    const walk = (rel: string) => {
      const full = join(home, rel);
      if (!existsSync(full)) return;
      for (const e of readdirSync(full, { withFileTypes: true })) {
        const child = `${rel}/${e.name}`;
        if (e.isDirectory()) walk(child);
        else found.push(child);
      }
    };
    for (const folder of ['media', 'thumbs', 'cache', 'outputs', 'tmp']) walk(folder);
    const stray = found.filter((f) => !referenced.has(f) && !/^outputs\/[^/]+\/exports\//.test(f));
    const strayJobs = existsSync(join(home, 'jobs')) ? readdirSync(join(home, 'jobs')).filter((id) => !jobIds.has(id)).map((id) => `jobs/${id}`) : [];
    return [...stray, ...strayJobs];
  } finally {
    db.close();
  }
}

function integrity(home: string): string {
  const db = new Database(join(home, 'library.db'), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

describe('kill -9 drill', () => {
  it(`cloud renders: ${CLOUD_ROUNDS} rounds killed at random points (submit window included); every job finishes on exactly one paid task`, async () => {
    for (let round = 0; round < CLOUD_ROUNDS; round++) {
      const home = freshHome(cloudTemplate.home, `drill-cloud-${round}`);
      const tasksBefore = fake.tasksCreated;
      // Every point kind comes up; the rest are drawn.
      const points: KillPoint[] = ['run-after-create', 'run-before', 'any-request', 'random-time'];
      const first = round < points.length ? (points[round] as KillPoint) : pick(points);
      await killAt(first, spawnChild(home, ['submit', cloudTemplate.projectId]), 'job ');
      // Sometimes the restarted studio is killed too, while it looks the task up or follows it.
      if (random() < 0.5) await killAt(pick(['any-request', 'random-time'] as const), spawnChild(home, ['resume']));

      const core = await openCloudCore(fake, { home, log: silentLogger, resumeJobs: true });
      try {
        const jobs = core.library.jobs.listByProject(cloudTemplate.projectId);
        expect(jobs.length, `round ${round}: the job row exists`).toBe(1);
        const done = await core.render.settled(jobs[0]!.id);
        expect(done.status, `round ${round} (${first}): ${done.error ?? ''}`).toBe('completed');
        expect(fake.tasksCreated - tasksBefore, `round ${round} (${first}): paid tasks`).toBe(1);
        expect(core.library.outputs.listByProject(cloudTemplate.projectId)).toHaveLength(1);
      } finally {
        await core.dispose();
      }
      expect(integrity(home)).toBe('ok');
      expect(orphans(home), `round ${round}`).toEqual([]);
      counts.cloudRounds++;
    }
    console.log(`kill drill (seed ${SEED}) cloud: ${JSON.stringify(counts)}, paid tasks on the fake: ${fake.tasksCreated}`);
    expect(counts.inSubmitWindow).toBeGreaterThan(0);
  }, 240_000);

  it(`imports: ${IMPORT_ROUNDS} rounds killed at random moments; the restart keeps whole assets only, and no stray file`, async () => {
    for (let round = 0; round < IMPORT_ROUNDS; round++) {
      const home = freshHome(importTemplate.home, `drill-import-${round}`);
      const child = spawnChild(home, ['import', importTemplate.projectId, ...importTemplate.files]);
      if (await killAt('random-time', child)) counts.importKills++;

      const core = await openCloudCore(fake, { home, log: silentLogger });
      try {
        // Every asset that survived has its content file; the project still imports.
        for (const a of core.library.assets.listByProject(importTemplate.projectId)) expect(existsSync(join(home, a.file)), a.file).toBe(true);
        const again = await core.library.importFile({ projectId: importTemplate.projectId, path: importTemplate.files[1]!, displayName: 'face.png', move: false });
        expect(again.asset.kind).toBe('image');
      } finally {
        await core.dispose();
      }
      expect(integrity(home)).toBe('ok');
      expect(orphans(home), `round ${round}`).toEqual([]);
      counts.importRounds++;
    }
    console.log(`kill drill (seed ${SEED}) imports: ${JSON.stringify(counts)}`);
  }, 180_000);
});
