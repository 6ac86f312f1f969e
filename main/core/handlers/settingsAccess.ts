import { sameApiAddress } from '../contract/apiAddress';
import { StudioError } from '../contract/errors';
import type { Transport, UserSettings } from '../contract/types';
import { TOOL_FIELD_LABEL } from '../media/toolCheck';

/**
 * Settings that decide which programs run on this machine and where the API key is sent. The app
 * window (ipc) and the command line (cli) act for the local user and may change them; a browser
 * page (ws) is not trusted with them: it could make the studio run any program or send the key
 * to any host.
 */
export const LOCAL_USER_SETTINGS = ['ffmpegPath', 'ffprobePath', 'cloudBaseUrl'] as const;
type LocalUserSetting = (typeof LOCAL_USER_SETTINGS)[number];

export const SETTING_LABEL: Record<LocalUserSetting, string> = {
  ffmpegPath: TOOL_FIELD_LABEL.ffmpeg,
  ffprobePath: TOOL_FIELD_LABEL.ffprobe,
  cloudBaseUrl: 'API address',
};

const unchanged = (name: LocalUserSetting, next: string | null, current: string | null): boolean => {
  if (next === current) return true;
  if (name === 'cloudBaseUrl' && next && current) return sameApiAddress(next, current);
  return false;
};

/** Throws `forbidden` when a browser page tries to change a local-user setting (sending the same value is fine). */
export function refuseForTransport(patch: Partial<UserSettings>, current: UserSettings, transport: Transport): void {
  if (transport !== 'ws') return;
  for (const name of LOCAL_USER_SETTINGS) {
    if (!(name in patch) || patch[name] === undefined) continue;
    if (unchanged(name, patch[name], current[name])) continue;
    throw new StudioError(
      'forbidden',
      `The "${SETTING_LABEL[name]}" cannot be changed from a browser page, because it decides which programs run on this computer and where your API key is sent. ` +
        `Change it in the Wan Studio app window, or on this computer with "wan-studio settings set ${name} VALUE".`,
    );
  }
}
