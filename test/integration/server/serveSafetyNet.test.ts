import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';
import { runCliProcess, startServe, type ServeHandle } from '../../helpers/studioProcess';

/**
 * Loaded into the real process with --import: on SIGUSR2 it does what a buggy callback would, an
 * exception thrown from an event handler and a rejected promise nobody awaits. No request path
 * of the server is known to throw past its handler (those are caught and answered), so the
 * escape is planted from outside.
 */
const ESCAPE = `process.on('SIGUSR2', () => {
  Promise.reject(new Error('planted: a promise nobody handles'));
  throw new Error('planted: a callback that throws');
});
`;

function plant(): string {
  const file = join(makeTempDir('safety-net'), 'escape.mjs');
  writeFileSync(file, ESCAPE);
  return file;
}

/** Resolves once the process has written text matching `pattern` (on stdout or stderr). */
function outputMatches(server: ServeHandle, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(server.output())) return;
      server.proc.stdout.off('data', check);
      server.proc.stderr.off('data', check);
      server.proc.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`serve exited (${code}) before printing ${pattern}:\n${server.output()}`));
    server.proc.stdout.on('data', check);
    server.proc.stderr.on('data', check);
    server.proc.once('exit', onExit);
    check();
  });
}

describe('wan-studio serve keeps serving after an error escapes a handler', () => {
  it('logs an uncaught exception and an unhandled rejection, then still answers requests', async () => {
    const server = await startServe(makeTempDir('safety-net-home'), [], { NODE_OPTIONS: `--import=${plant()}` });
    try {
      // The handler was installed by --import before serve printed its URL.
      server.proc.kill('SIGUSR2');
      await outputMatches(server, /escaped its handler; still serving[^\n]*planted: a callback that throws/);
      await outputMatches(server, /nothing handled it; still serving[^\n]*planted: a promise nobody handles/);
      expect(server.proc.exitCode).toBeNull();
      const page = await fetch(`${server.origin}/`, { headers: { Authorization: `Bearer ${server.token}` } });
      expect(page.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  it('a one-shot CLI command still ends with an error code when an error escapes', async () => {
    const thrower = join(makeTempDir('safety-net-cli'), 'throw.mjs');
    writeFileSync(thrower, `setImmediate(() => { throw new Error('planted: a callback that throws'); });\n`);
    const result = await runCliProcess(['projects', 'list', '--home', makeTempDir('safety-net-cli-home')], { NODE_OPTIONS: `--import=${thrower}` });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('planted: a callback that throws');
  }, 60_000);
});
