import { APP_VERSION } from '../appInfo';
import { StudioError } from '../contract/errors';
import type { SettingsView, ToolStatus, UserSettings } from '../contract/types';
import { listEncoders, PRESET_ENCODERS, resolveTool, toolVersion, type ToolName, type ToolPreferences } from '../media/ffmpegBinaries';
import { checkChosenTool } from '../media/toolCheck';
import { refuseForTransport } from './settingsAccess';
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
    'settings.update': async ({ patch }, ctx) => {
      const next = normalise(patch);
      const current = library.readSettings();
      refuseForTransport(next, current, ctx.transport);
      // A newly chosen program is run once with -version before it is saved (and run for every probe).
      if (next.ffmpegPath && next.ffmpegPath !== current.ffmpegPath) await checkChosenTool('ffmpeg', next.ffmpegPath);
      if (next.ffprobePath && next.ffprobePath !== current.ffprobePath) await checkChosenTool('ffprobe', next.ffprobePath);
      library.writeSettings(next);
      return view(ctx);
    },
  };
}

/** An empty tool path or API address means "automatic" / "the public service", stored as null. */
function normalise(patch: Partial<UserSettings>): Partial<UserSettings> {
  return Object.fromEntries(
    Object.entries(patch).map(([k, v]) => [k, typeof v === 'string' && v.trim() === '' && (k.endsWith('Path') || k === 'cloudBaseUrl') ? null : v]),
  ) as Partial<UserSettings>;
}
