import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which processes have this library open, as one small file per process under .owners/
 * named `<pid>.<random>`. A process killed with SIGKILL leaves its file behind; a file whose
 * process is gone is stale. The start-up sweep removes unreferenced files only when no other
 * live process owns the library (the CLI may be importing beside the app right now).
 */
export class LibraryOwners {
  private readonly mine: string;

  constructor(private readonly dir: string) {
    this.mine = `${process.pid}.${randomBytes(4).toString('hex')}`;
  }

  /** Registers this process; answers whether another live process has the library open. */
  register(): { othersAlive: boolean } {
    mkdirSync(this.dir, { recursive: true });
    let othersAlive = false;
    for (const name of safeList(this.dir)) {
      const pid = Number(name.split('.')[0]);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) othersAlive = true;
      else if (pid !== process.pid) rmSync(join(this.dir, name), { force: true });
    }
    writeFileSync(join(this.dir, this.mine), '');
    return { othersAlive };
  }

  release(): void {
    rmSync(join(this.dir, this.mine), { force: true });
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A pid that answers signal 0 (EPERM: alive, someone else's) is alive; a reused pid errs on the safe side. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
