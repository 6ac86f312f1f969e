import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Library } from '../../../main/core/library/library';
import { bundleScript } from '../../helpers/bundleScript';
import { makeTempDir } from '../../helpers/generatedMedia';

let crashScript: string;
const open: Library[] = [];
beforeAll(async () => {
  crashScript = await bundleScript('test/fixtures/scripts/crashMidTransaction.ts');
});
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

describe('library transactions', () => {
  it('a process killed mid-transaction leaves no partial rows', async () => {
    const home = makeTempDir('crash');
    const before = await Library.open(home);
    before.createProject('Survivor');
    before.close();

    const child = spawnSync(process.execPath, [crashScript, home, '200'], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('inserted 101');
    expect(child.stdout).not.toContain('committed');

    const after = await Library.open(home);
    open.push(after);
    const names = after.listProjects().map((p) => p.name);
    expect(names).toEqual(['Survivor']);
    expect(after.db.prepare("SELECT count(*) AS n FROM projects WHERE id LIKE 'crash-%'").get()).toEqual({ n: 0 });
    expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('readers see the data as it was before a writer commits, and all of it after', async () => {
    const home = makeTempDir('wal');
    const writer = await Library.open(home);
    open.push(writer);
    writer.createProject('Existing');
    const reader = new Database(writer.layout.db, { readonly: true });
    const count = () => (reader.prepare('SELECT count(*) AS n FROM projects').get() as { n: number }).n;
    const seenDuringWrite: number[] = [];

    writer.db.transaction(() => {
      for (let i = 0; i < 500; i++) {
        writer.projects.insert(`bulk-${String(i).padStart(4, '0')}`, `Bulk ${i}`, 'animate', Date.now());
        if (i % 100 === 0) seenDuringWrite.push(count());
      }
    })();

    expect(seenDuringWrite).toEqual([1, 1, 1, 1, 1]);
    expect(count()).toBe(501);
    expect(writer.db.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
  });

  it('a failing statement rolls back the whole transaction', async () => {
    const home = makeTempDir('rollback');
    const lib = await Library.open(home);
    open.push(lib);
    const p = lib.createProject('Keep');
    expect(() =>
      lib.db.transaction(() => {
        lib.projects.rename(p.id, 'Changed', Date.now());
        // Violates the app CHECK constraint: the rename above must be undone with it.
        lib.db.prepare("INSERT INTO projects (id, name, app, created_at, updated_at) VALUES ('x1234567', 'bad', 'nope', 0, 0)").run();
      })(),
    ).toThrow(/CHECK constraint failed/);
    expect(lib.projects.get(p.id).name).toBe('Keep');
  });

  it('foreign keys are enforced: assets and jobs cannot point at a missing project', async () => {
    const home = makeTempDir('fk');
    const lib = await Library.open(home);
    open.push(lib);
    expect(() =>
      lib.jobs.create({ projectId: 'missing-project', app: 's2v', engine: 'cloud', params: {}, paramsVersion: 1 }),
    ).toThrow(/FOREIGN KEY/);
  });
});
