import { parseArgs } from 'node:util';
import type { UserSettings } from '../contract/types';
import { defaultUserSettings } from '../library/settingsRepository';
import { UsageError, type CliIo } from './io';
import { call, openCore } from './openCore';

type SettingName = keyof UserSettings;
const names = Object.keys(defaultUserSettings) as SettingName[];

export const settingsHelp = `Usage:
  wan-studio settings get [NAME]        print every setting, or one (empty when not set)
  wan-studio settings set NAME VALUE    change a setting
  wan-studio settings unset NAME        back to its default

Names: ${names.join(', ')} (ffmpeg-path style works too)
  ffmpegPath, ffprobePath   the program to use (checked with -version before it is saved);
                            unset: find it automatically
  cloudBaseUrl              the inference.sh API address (https, or http on this computer);
                            unset: the public service. A saved key is sent only to the address
                            it was entered for: after a change, enter it again (cloud key set).

The command line and the app window may change every setting; a browser page (wan-studio serve)
may not change the tool paths or the API address, nor turn cloud fallback on.

Options:
  --home DIR   library folder`;

/** A number or yes/no setting (cloudConcurrency, cloudFallback) typed as its default is; the contract checks the rest. */
function typed(value: string | undefined, like: unknown): unknown {
  if (value === undefined) return value;
  if (typeof like === 'number' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (typeof like === 'boolean' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return value;
}

const kebabToCamel = (s: string): string => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function settingName(raw: string | undefined): SettingName {
  if (!raw) throw new UsageError('Name a setting.');
  const name = kebabToCamel(raw);
  if (!(names as string[]).includes(name)) throw new UsageError(`Unknown setting "${raw}". Settings: ${names.join(', ')}.`);
  return name as SettingName;
}

const shown = (v: unknown): string => (v === null ? '' : String(v));

export async function settingsCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { home: { type: 'string' } } });
  const [action, rawName, value, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected "${extra.join(' ')}".`);
  if (action !== 'get' && action !== 'set' && action !== 'unset') throw new UsageError(action ? `Unknown settings command "${action}".` : 'Use "settings get", "settings set" or "settings unset".');
  const name = action === 'get' && rawName === undefined ? null : settingName(rawName);
  if (action === 'set' && value === undefined) throw new UsageError(`Give the value: wan-studio settings set ${name} VALUE`);
  if (action !== 'set' && value !== undefined) throw new UsageError(`"settings ${action}" takes only the name.`);

  const core = await openCore(values.home);
  try {
    if (action === 'get') {
      const { settings } = await call(core, 'settings.get', {});
      if (name) io.out(shown(settings[name]));
      else for (const n of names) io.out(`${n}: ${settings[n] === null ? '(not set)' : String(settings[n])}`);
      return 0;
    }
    const next = action === 'set' ? typed(value, defaultUserSettings[name!]) : defaultUserSettings[name!];
    const { settings } = await call(core, 'settings.update', { patch: { [name!]: next } });
    io.out(settings[name!] === null ? `${name} unset.` : `${name} set to ${String(settings[name!])}.`);
    if (name === 'cloudBaseUrl') {
      const status = await call(core, 'cloud.status', {});
      if (status.keyProblem) io.out(`Note: ${status.keyProblem}`);
    }
    return 0;
  } finally {
    await core.dispose();
  }
}
