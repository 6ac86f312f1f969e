import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of live processes whose command line mentions `needle` (e.g. a test's temp folder). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state !== 'Z' && cmd.includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** The parent pid of a process, or null when it has ended. */
function parentOf(pid: number): number | null {
  try {
    // The command name may hold spaces or parentheses: the fields after its last ')' are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * Like processesMentioning, but only this test process's own descendants: the suite runs test
 * files in parallel, and another file's workers are not this test's leftovers.
 */
export function descendantsMentioning(needle: string): number[] {
  return processesMentioning(needle).filter((pid) => {
    for (let p: number | null = parentOf(pid), hops = 0; p !== null && p > 1 && hops < 64; p = parentOf(p), hops++) if (p === process.pid) return true;
    return false;
  });
}

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
