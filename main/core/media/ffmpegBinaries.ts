import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { StudioError } from '../contract/errors';
import { lastErrorLine, runProcess } from './runProcess';

export type ToolName = 'ffmpeg' | 'ffprobe';
export type ToolSource = 'setting' | 'env' | 'bundled' | 'path';

export interface ResolvedTool {
  name: ToolName;
  path: string;
  source: ToolSource;
}

export interface ToolPreferences {
  ffmpegPath?: string | null;
  ffprobePath?: string | null;
}

// Not named `require`: the ESM build injects its own shim under that name.
const requireCjs = createRequire(import.meta.url);

const isExecutable = (p: string): boolean => {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Inside a packaged app the binaries live next to the asar archive, not inside it. */
const unpacked = (p: string): string => p.replace(`app.asar${'/'}`, `app.asar.unpacked/`).replace('app.asar\\', 'app.asar.unpacked\\');

function bundledPath(name: ToolName): string | null {
  try {
    if (name === 'ffmpeg') {
      const p = requireCjs('ffmpeg-static') as string | null;
      return p ? unpacked(p) : null;
    }
    const mod = requireCjs('ffprobe-static') as { path?: string };
    return mod.path ? unpacked(mod.path) : null;
  } catch {
    return null;
  }
}

function onPath(name: ToolName): string | null {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exe);
    if (existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * Finds ffmpeg/ffprobe in the documented order: the user's setting, FFMPEG_PATH/FFPROBE_PATH,
 * the bundled packages, then PATH. A setting or variable that points at nothing is an error
 * rather than silently skipped, because the user asked for that binary.
 */
export function resolveTool(name: ToolName, prefs: ToolPreferences = {}): ResolvedTool {
  const setting = name === 'ffmpeg' ? prefs.ffmpegPath : prefs.ffprobePath;
  if (setting) {
    if (!isExecutable(setting)) {
      throw new StudioError(
        'unavailable',
        `The ${name} path in Settings (${setting}) is not an executable file. Fix the path in Settings, or clear it to let Wan Studio find ${name} itself.`,
      );
    }
    return { name, path: setting, source: 'setting' };
  }
  const envName = name === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const fromEnv = process.env[envName];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new StudioError(
        'unavailable',
        `${envName} is set to ${fromEnv}, which is not an executable file. Point it at ${name} or unset it.`,
      );
    }
    return { name, path: fromEnv, source: 'env' };
  }
  const bundled = bundledPath(name);
  if (bundled && isExecutable(bundled)) return { name, path: bundled, source: 'bundled' };
  const found = onPath(name);
  if (found) return { name, path: found, source: 'path' };
  throw new StudioError(
    'unavailable',
    `No working ${name} was found (checked Settings, ${envName}, the bundled copy and PATH). Install FFmpeg (for example "apt install ffmpeg") or set its path in Settings.`,
  );
}

/** First line of `<tool> -version`, e.g. "ffprobe version 5.1.9-0+deb12u1". */
export async function toolVersion(tool: ResolvedTool): Promise<string> {
  const result = await runProcess(tool.path, ['-hide_banner', '-version'], { timeoutMs: 15_000 });
  const first = result.stdout.toString('utf8').split(/\r?\n/)[0]?.trim() ?? '';
  if (result.code !== 0 || !first) {
    throw new StudioError(
      'unavailable',
      `${tool.path} did not run as ${tool.name} (${lastErrorLine(result.stderrTail)}). Check the path in Settings.`,
    );
  }
  return first.replace(/\s+Copyright.*$/, '');
}

/** The encoders the studio's presets use; Settings shows which of them this ffmpeg has. */
export const PRESET_ENCODERS = ['libx264', 'libx265', 'prores_ks', 'libvpx-vp9', 'gif', 'aac', 'libopus'] as const;
export type PresetEncoder = (typeof PRESET_ENCODERS)[number];

/** Parses `ffmpeg -encoders`: lines like " V....D libx264   libx264 H.264 / AVC ...". */
export function parseEncoderList(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*[VAS][.A-Z]{5}\s+(\S+)\s/.exec(line);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

export async function listEncoders(tool: ResolvedTool): Promise<Set<string>> {
  const result = await runProcess(tool.path, ['-hide_banner', '-encoders'], { timeoutMs: 15_000 });
  if (result.code !== 0) {
    throw new StudioError('unavailable', `${tool.path} could not list its encoders (${lastErrorLine(result.stderrTail)}).`);
  }
  return parseEncoderList(result.stdout.toString('utf8'));
}
