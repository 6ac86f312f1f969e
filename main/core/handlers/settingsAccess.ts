import { sameApiAddress } from '../contract/apiAddress';
import { StudioError } from '../contract/errors';
import type { Transport, UserSettings } from '../contract/types';
import { TOOL_FIELD_LABEL } from '../media/toolCheck';

/**
 * Settings that decide which programs run on this machine, where the API key is sent, or whether
 * renders may spend money without being asked. The app window (ipc) and the command line (cli) act
 * for the local user and may change them; a browser page (ws) is not trusted with them: it could
 * make the studio run any program, send the key to any host, or send renders to the paid cloud.
 */
export const LOCAL_USER_SETTINGS = ['ffmpegPath', 'ffprobePath', 'cloudBaseUrl', 'cloudFallback'] as const;
type LocalUserSetting = (typeof LOCAL_USER_SETTINGS)[number];

export const SETTING_LABEL: Record<LocalUserSetting, string> = {
  ffmpegPath: TOOL_FIELD_LABEL.ffmpeg,
  ffprobePath: TOOL_FIELD_LABEL.ffprobe,
  cloudBaseUrl: 'API address',
  cloudFallback: 'Cloud fallback',
};

const WHY: Record<LocalUserSetting, string> = {
  ffmpegPath: 'it decides which programs run on this computer',
  ffprobePath: 'it decides which programs run on this computer',
  cloudBaseUrl: 'it decides where your API key is sent',
  cloudFallback: 'turning it on lets renders start paid cloud tasks without asking',
};

const VALUE_HINT: Record<LocalUserSetting, string> = { ffmpegPath: 'VALUE', ffprobePath: 'VALUE', cloudBaseUrl: 'VALUE', cloudFallback: 'true' };

type Value = UserSettings[LocalUserSetting];

/** Sending the current value is fine; turning cloud fallback OFF only saves money, so a page may do it. */
const allowed = (name: LocalUserSetting, next: Value, current: Value): boolean => {
  if (next === current) return true;
  if (name === 'cloudFallback') return next === false;
  if (name === 'cloudBaseUrl' && typeof next === 'string' && typeof current === 'string') return sameApiAddress(next, current);
  return false;
};

/** Throws `forbidden` when a browser page tries to change a local-user setting in a way it may not. */
export function refuseForTransport(patch: Partial<UserSettings>, current: UserSettings, transport: Transport): void {
  if (transport !== 'ws') return;
  for (const name of LOCAL_USER_SETTINGS) {
    const next = patch[name];
    if (!(name in patch) || next === undefined) continue;
    if (allowed(name, next, current[name])) continue;
    throw new StudioError(
      'forbidden',
      `The "${SETTING_LABEL[name]}" cannot be changed from a browser page, because ${WHY[name]}. ` +
        `Change it in the Wan Studio app window, or on this computer with "wan-studio settings set ${name} ${VALUE_HINT[name]}".`,
    );
  }
}
