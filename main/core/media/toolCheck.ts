import { StudioError } from '../contract/errors';
import type { ToolName } from './ffmpegBinaries';
import { runProcess } from './runProcess';

/** The labels Settings shows for the tool paths. */
export const TOOL_FIELD_LABEL: Record<ToolName, string> = { ffmpeg: 'FFmpeg path', ffprobe: 'FFprobe path' };

const CHECK_TIMEOUT_MS = 10_000;

/**
 * Before a tool path is saved: does the program answer `-version` the way ffmpeg/ffprobe does?
 * Run with an argument array, the secret-free child environment and a bounded time, so a wrong
 * choice costs one short run and never gets saved to be run again for every probe.
 */
export async function checkChosenTool(name: ToolName, path: string): Promise<void> {
  const label = TOOL_FIELD_LABEL[name];
  await checkToolProgram(
    name,
    path,
    (what) =>
      new StudioError(
        'invalid_input',
        `The "${label}" (${path}) ${what}. Choose the ${name} program (for example /usr/bin/${name}), or leave "${label}" empty to let Wan Studio find ${name} itself.`,
      ),
  );
}

/** The environment variables that choose the tools, as resolveTool reads them. */
export const TOOL_VARIABLE: Record<ToolName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };

/**
 * At start: FFMPEG_PATH / FFPROBE_PATH get the same check as a path chosen in Settings, once, so
 * a variable pointing at some other program is refused by name instead of being run for every
 * probe and render.
 */
export async function checkToolVariables(env: NodeJS.ProcessEnv): Promise<void> {
  for (const name of ['ffmpeg', 'ffprobe'] as const) {
    const variable = TOOL_VARIABLE[name];
    const path = env[variable];
    if (!path) continue;
    await checkToolProgram(
      name,
      path,
      (what) => new StudioError('unavailable', `${variable} is set to ${path}, which ${what}. Point ${variable} at the ${name} program (for example /usr/bin/${name}), or unset it to let Wan Studio find ${name} itself.`),
    );
  }
}

/** Runs `<path> -version` and throws `refuse(what is wrong)` unless it answers as `name`. */
async function checkToolProgram(name: ToolName, path: string, refuse: (what: string) => StudioError): Promise<void> {
  let firstLine: string;
  try {
    const r = await runProcess(path, ['-version'], { timeoutMs: CHECK_TIMEOUT_MS, maxStdoutBytes: 256 * 1024 });
    if (r.timedOut) throw refuse(`did not answer "-version" within ${CHECK_TIMEOUT_MS / 1000} s`);
    firstLine = r.stdout.toString('utf8').split(/\r?\n/)[0] ?? '';
  } catch (e) {
    if (e instanceof StudioError) throw e;
    throw refuse(`could not be run (${e instanceof Error && 'code' in e ? String(e.code) : String(e)})`);
  }
  if (!firstLine.startsWith(`${name} version`)) throw refuse(`is not ${name}: running it with -version did not print "${name} version …"`);
}
