import { processIo } from './core/cli/io';
import { runCli } from './core/cli/runCli';

process.exitCode = await runCli(process.argv.slice(2), processIo);
