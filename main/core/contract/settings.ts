import { z } from 'zod';
import { out, request } from './define';
import { userSettingsPatchSchema } from './schemas';
import type { SettingsView } from './types';

export const settingsRequests = {
  'settings.get': request(z.object({}).strict(), out<SettingsView>()),
  'settings.update': request(z.object({ patch: userSettingsPatchSchema }).strict(), out<SettingsView>()),
} as const;

export const settingsEvents = {} as const;
