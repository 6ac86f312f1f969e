import { APP_VERSION } from '../appInfo';
import { StudioError } from '../contract/errors';
import type { SettingsView, ToolStatus } from '../contract/types';
import { listEncoders, PRESET_ENCODERS, resolveTool, toolVersion, type ToolName, type ToolPreferences } from '../media/ffmpegBinaries';
import type { HandlersFor, RequestContext, StudioServices } from './types';

async function toolStatus(name: ToolName, prefs: ToolPreferences): Promise<ToolStatus> {
  try {
    const tool = resolveTool(name, prefs);
    try {
      const version = await toolVersion(tool);
      let encoders: Record<string, boolean> | null = null;
      if (name === 'ffmpeg') {
        const available = await listEncoders(tool);
        encoders = Object.fromEntries(PRESET_ENCODERS.map((e) => [e, available.has(e)]));
      }
      return { path: tool.path, source: tool.source, version, error: null, encoders };
    } catch (e) {
      return { path: tool.path, source: tool.source, version: null, error: e instanceof Error ? e.message : String(e), encoders: null };
    }
  } catch (e) {
    return { path: null, source: null, version: null, error: e instanceof StudioError ? e.message : String(e), encoders: null };
  }
}

export function settingsHandlers({ library }: StudioServices): HandlersFor<'settings'> {
  const view = async (ctx: RequestContext): Promise<SettingsView> => {
    const settings = library.readSettings();
    const prefs = { ffmpegPath: settings.ffmpegPath, ffprobePath: settings.ffprobePath };
    const [ffprobe, ffmpeg] = await Promise.all([toolStatus('ffprobe', prefs), toolStatus('ffmpeg', prefs)]);
    return {
      settings,
      app: { version: APP_VERSION, libraryHome: library.home, transport: ctx.transport },
      tools: { ffprobe, ffmpeg },
    };
  };
  return {
    'settings.get': (_input, ctx) => view(ctx),
    'settings.update': ({ patch }, ctx) => {
      // An empty path string means "find it automatically", stored as null.
      const normalised = Object.fromEntries(
        Object.entries(patch).map(([k, v]) => [k, typeof v === 'string' && v.trim() === '' && k.endsWith('Path') ? null : v]),
      );
      library.writeSettings(normalised);
      return view(ctx);
    },
  };
}
