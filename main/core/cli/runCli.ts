import { APP_VERSION } from '../appInfo';
import { StudioError } from '../contract/errors';
import { cloudCommand, cloudHelp } from './cloudCommand';
import { importCommand, importHelp } from './importCommand';
import { mediaCommand, mediaHelp } from './mediaCommand';
import { packsCommand, packsHelp, renderCommand, renderHelp } from './packsCommand';
import { dashIdHint } from './dashArgument';
import { UsageError, type CliIo } from './io';
import { previewCommand, previewHelp } from './previewCommand';
import { projectsCommand, projectsHelp } from './projectsCommand';
import { queueCommand, queueHelp } from './queueCommand';
import { serveCommand, serveHelp } from './serveCommand';
import { settingsCommand, settingsHelp } from './settingsCommand';

type Command = { run: (argv: string[], io: CliIo) => Promise<number>; help: string; summary: string };

const commands: Record<string, Command> = {
  serve: { run: serveCommand, help: serveHelp, summary: 'run the studio headless and open it in a browser' },
  projects: { run: projectsCommand, help: projectsHelp, summary: 'list, create, export (.wanproj) or import projects' },
  import: { run: importCommand, help: importHelp, summary: 'import media files into a project' },
  media: { run: mediaCommand, help: mediaHelp, summary: 'probe, waveform, trim and export media files' },
  cloud: { run: (argv, io) => cloudCommand(argv, io), help: cloudHelp, summary: 'render on inference.sh, check the live schema, manage the API key' },
  render: { run: renderCommand, help: renderHelp, summary: 'render on this machine with a model pack' },
  preview: { run: previewCommand, help: previewHelp, summary: 'Animate previews of one frame: pose, replacement mask, face crop' },
  packs: { run: packsCommand, help: packsHelp, summary: 'make, import, list and remove model packs' },
  settings: { run: settingsCommand, help: settingsHelp, summary: 'show and change settings (tool paths, API address, ...)' },
  queue: { run: queueCommand, help: queueHelp, summary: 'list and steer the render queue, queue batches from a CSV or JSON file' },
};

export const mainHelp = `wan-studio ${APP_VERSION}: the Wan Studio command line (same library and code as the app)

Usage: wan-studio <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Every command takes --home DIR (or WAN_STUDIO_HOME) to choose the library folder.
Run "wan-studio <command> --help" for details.`;

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(APP_VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`wan-studio: unknown command "${name}".\n\n${mainHelp}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      const hint = 'code' in e && e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? dashIdHint(name, rest) : null;
      io.err(`wan-studio ${name}: ${hint ?? e.message}\n\n${command.help}`);
      return 2;
    }
    if (e instanceof StudioError) {
      io.err(`wan-studio: ${e.message}`);
      return 1;
    }
    io.err(`wan-studio: unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}
