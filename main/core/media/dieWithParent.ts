import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];
let setprivPath: string | null | undefined;

/** util-linux setpriv, if it is there and knows --pdeathsig (2.33+); looked up once per process. */
function setpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return null;
  for (const candidate of SETPRIV_CANDIDATES) {
    if (!executable(candidate)) continue;
    const probe = spawnSync(candidate, ['--pdeathsig', 'KILL', '--', candidate, '--version'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status === 0) {
      setprivPath = candidate;
      break;
    }
  }
  return setprivPath;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The command line that runs `command` so that the kernel kills it (SIGKILL) when the studio
 * process dies, even by kill -9: on Linux, setpriv sets the parent-death signal and execs the
 * program in place (same pid, same pipes). Without it an ffmpeg started by a killed studio would go
 * on writing into the library after the next start has swept it. Elsewhere, or for a path that is
 * not an executable file (so that "not found" keeps its own error), the command runs as given.
 * The kernel sends the signal when the *thread* that spawned the child ends: spawn tools from the
 * process's main thread (the core does), never from a worker_threads Worker that may end first.
 */
export function dieWithParent(command: string, args: readonly string[]): { command: string; args: string[] } {
  const wrapper = setpriv();
  if (!wrapper || !command.startsWith('/') || !executable(command)) return { command, args: [...args] };
  return { command: wrapper, args: ['--pdeathsig', 'KILL', '--', command, ...args] };
}
