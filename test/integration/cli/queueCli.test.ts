import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchDto, QueueListDto } from '../../../main/core/contract/index';
import { silentLogger } from '../../../main/core/logger';
import { libraryLayout } from '../../../main/core/library/paths';
import { createStudioCore } from '../../../main/core/studioCore';
import { s2vProject, TEST_KEY } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { runCliProcess } from '../../helpers/studioProcess';

let home: string;
let files: string;
const env = { INFERENCE_API_KEY: TEST_KEY, INFERENCE_BASE_URL: 'http://127.0.0.1:9' };
const cli = (...args: string[]) => runCliProcess(['queue', ...args, '--home', home], env);
const listJson = async () => JSON.parse((await cli('list', '--json')).stdout) as QueueListDto;
const waitingIds = (l: QueueListDto) => l.jobs.filter((j) => j.waitIndex !== null).map((j) => j.id);

beforeAll(async () => {
  home = makeTempDir('queue-cli');
  files = makeTempDir('queue-cli-files');
  const core = await createStudioCore({ home, log: silentLogger, env });
  await s2vProject(core);
  await core.dispose();
});

describe('wan-studio queue', () => {
  it('queues a CSV batch laid over the draft, labelled by what differs; a bad row is named with its field and nothing is queued', async () => {
    const good = join(files, 'seeds.csv');
    writeFileSync(good, 'seed,prompt\n1,"a woman singing, warm light"\n2,"a woman singing, warm light"\n3,a man talking\n');
    const added = await cli('add', '--project', 'Cloud S2V', '--batch', good, '--name', 'Seeds', '--engine', 'cloud', '--json');
    expect(added.stderr).toBe('');

    expect(added.code).toBe(0);
    const batch = JSON.parse(added.stdout) as BatchDto;
    expect(batch.name).toBe('Seeds');
    expect(batch.jobs.map((j) => j.batchLabel)).toEqual(['seed 1 · prompt "a woman singing, warm light"', 'seed 2 · prompt "a woman singing, warm light"', 'seed 3 · prompt "a man talking"']);
    expect(batch.jobs.map((j) => j.seed)).toEqual([1, 2, 3]);
    expect(batch.jobs.map((j) => j.params.resolution)).toEqual(['480p', '480p', '480p']);

    const badRule = join(files, 'bad-rule.csv');
    writeFileSync(badRule, 'seed,fps\n4,16\n5,200\n');
    const r1 = await cli('add', '--project', 'Cloud S2V', '--batch', badRule);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/nothing was.*row 2: Frames per second: must be at most 60/);
    expect(r1.stderr).not.toMatch(/row 1/);

    const badCell = join(files, 'bad-cell.csv');
    writeFileSync(badCell, 'seed,label\n6,first\nsix,second\n');
    const r2 = await cli('add', '--project', 'Cloud S2V', '--batch', badCell);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('row 2, column seed: "six" is not a number');

    const badColumn = join(files, 'bad-column.json');
    writeFileSync(badColumn, JSON.stringify({ name: 'Guides', rows: [{ seed: 7 }, { guide_scale: 2 }] }));
    const r3 = await cli('add', '--project', 'Cloud S2V', '--batch', badColumn);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain('row 2, column guide_scale: s2v has no parameter "guide_scale"');

    const badFile = join(files, 'bad-file.csv');
    writeFileSync(badFile, 'audio\nvoice.wav\nmissing.wav\n');
    const r4 = await cli('add', '--project', 'Cloud S2V', '--batch', badFile);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toContain('row 2, column audio: "missing.wav" is not a file in this project');

    expect((await listJson()).counts.waiting).toBe(3);

    const named = join(files, 'named.json');
    writeFileSync(named, JSON.stringify({ name: 'Resolutions', rows: [{ resolution: '480p', label: 'small' }, { resolution: '720p', label: 'large' }] }));
    const r5 = await cli('add', '--project', 'Cloud S2V', '--batch', named, '--engine', 'cloud');
    expect(r5.stderr).toBe('');
    expect(r5.code).toBe(0);
    expect(r5.stdout).toMatch(/Queued batch "Resolutions" .*: 2 renders in Cloud S2V/);
    expect(r5.stdout).toMatch(/small\n.*large/);
  });

  it('lists, holds, moves and cancels jobs; the order it leaves is the queue order', async () => {
    const before = waitingIds(await listJson());
    expect(before.length).toBeGreaterThanOrEqual(5);
    const [a, b, c] = before as [string, string, string];
    const last = before[before.length - 1] as string;

    expect((await cli('pause')).stdout).toContain('The queue is held');
    const moved = await cli('move', last, '--to', 'top');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toBe(`Moved ${last} to place 1\n`);
    expect((await cli('move', a, '--to', 'down')).code).toBe(0);
    expect((await cli('move', c, '--to', '2')).code).toBe(0);
    expect((await cli('pause', b)).stdout).toBe(`Paused ${b}\n`);
    expect((await cli('cancel', a)).stdout).toBe(`Cancelled ${a}\n`);

    const l = await listJson();
    expect(l.paused).toBe(true);
    const rest = before.filter((id) => id !== a && id !== b && id !== c && id !== last);
    expect(waitingIds(l)).toEqual([last, c, b, ...rest]);
    expect(l.jobs.find((j) => j.id === b)?.paused).toBe(true);
    expect(l.jobs.find((j) => j.id === a)?.status).toBe('cancelled');

    const text = await cli('list');
    expect(text.stdout).toMatch(/^Queue \(held: nothing new starts\): 0 running, \d+ waiting, 1 paused, 1 ended$/m);
    expect(text.stdout).toMatch(new RegExp(` 3 ${b}  paused +cloud Cloud S2V {2}\\[Seeds: seed 2`));

    const notWaiting = await cli('move', a, '--to', 'top');
    expect(notWaiting.code).toBe(1);
    expect(notWaiting.stderr).toContain(`Job ${a} is not waiting in the queue`);
    const badTo = await cli('move', b, '--to', 'sideways');
    expect(badTo.code).toBe(2);
    expect(badTo.stderr).toContain('--to must be top, bottom, up, down or a place from 1, not "sideways"');
    expect((await cli('resume')).stdout).toContain('The queue runs again');

    // The queue's settings from the command line, typed as numbers and yes/no.
    const set = (...a: string[]) => runCliProcess(['settings', 'set', ...a, '--home', home], env);
    expect((await set('cloudConcurrency', '3')).stdout).toBe('cloudConcurrency set to 3.\n');
    expect((await set('cloud-fallback', 'true')).stdout).toBe('cloudFallback set to true.\n');
    const tooMany = await set('cloudConcurrency', '40');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('cloudConcurrency: must be at most 16');
  });

  it('a job id from an older library that starts with "-" is named whole, with the command line that takes it', async () => {
    const [job] = waitingIds(await listJson());
    const dashId = `-${(job as string).slice(1)}`;
    // Ids made before newId stopped drawing a leading dash: rename one waiting job as such a library has it.
    const db = new Database(libraryLayout(home).db);
    db.prepare('UPDATE jobs SET id = ? WHERE id = ?').run(dashId, job);
    db.close();

    const asOption = await cli('move', dashId, '--to', 'top');
    expect(asOption.code).toBe(2);
    expect(asOption.stderr).toContain(`"${dashId}" starts with "-", so it reads as an option. Put an id that starts with "-" last, after "--": wan-studio queue move --to top --home ${home} -- ${dashId}`);

    const last = await runCliProcess(['queue', 'move', '--to', 'top', '--home', home, '--', dashId], env);
    expect(last.stderr).toBe('');
    expect(last.stdout).toBe(`Moved ${dashId} to place 1\n`);
    expect(waitingIds(await listJson())[0]).toBe(dashId);
  });
});
