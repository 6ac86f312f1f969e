import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { keepServingThroughErrors } from '../server/lastResort';
import { startStudioServer } from '../server/studioServer';
import { openCore } from './openCore';
import { UsageError, type CliIo } from './io';

export const serveHelp = `Usage:
  wan-studio serve [--home DIR] [--port N] [--host HOST]

Starts the studio without a window and prints a URL to open in a browser. It listens on
127.0.0.1 with a random port and a random token unless told otherwise; --host with a
non-loopback address makes the studio reachable from other machines (token still required).`;

/** The built page sits next to the built CLI: out/main/cli.js -> out/renderer. */
const defaultRendererDir = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      home: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      renderer: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${positionals.join(' ')}").`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);

  const core = await openCore(values.home, { resumeJobs: true });
  const removeSafetyNet = keepServingThroughErrors(core.log);
  try {
    const server = await startStudioServer({
      core,
      rendererDir: values.renderer ? resolve(values.renderer) : defaultRendererDir(),
      host: values.host ?? '127.0.0.1',
      port,
      allowNonLoopback: values.host !== undefined,
    });
    io.out(`Wan Studio is running. Open this URL in a browser:`);
    io.out(`  ${server.url}`);
    io.out(`Library: ${core.library.home}`);
    io.out('Press Ctrl+C to stop.');
    await io.untilStopped();
    await server.close();
    return 0;
  } finally {
    removeSafetyNet();
    await core.dispose();
  }
}
