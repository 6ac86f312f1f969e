import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import { cleanDisplayName } from '../contract/format';
import { peaksWindow } from '../media/peaks';
import type { HandlersFor, StudioServices } from './types';

const PROGRESS_INTERVAL_MS = 100;

export function mediaHandlers({ library, events }: StudioServices): HandlersFor<'media'> {
  return {
    'media.import': async ({ projectId, source }, ctx) => {
      let path: string;
      let displayName: string;
      let move: boolean;
      if (source.kind === 'path') {
        // A page in a browser may not name files on the server's disk; it uploads them instead.
        if (ctx.transport === 'ws') {
          throw new StudioError('forbidden', 'Importing by file path is only possible in the desktop app. Upload the file instead.');
        }
        path = source.path;
        displayName = cleanDisplayName(source.path.split(/[\\/]/).pop() ?? source.path);
        move = false;
      } else {
        path = join(library.layout.uploads, source.uploadId);
        displayName = cleanDisplayName(source.name);
        move = true;
      }
      // Byte progress arrives per 64 KB chunk; every client hears every event, so send at most
      // one per stage change or per PROGRESS_INTERVAL_MS.
      let lastStage = '';
      let lastAt = 0;
      const result = await library.importFile({
        projectId,
        path,
        displayName,
        move,
        signal: ctx.signal,
        onProgress: (stage, bytesDone, bytesTotal) => {
          const now = Date.now();
          if (stage === lastStage && now - lastAt < PROGRESS_INTERVAL_MS && bytesDone !== bytesTotal) return;
          lastStage = stage;
          lastAt = now;
          events.emit('media.importProgress', { projectId, name: displayName, stage, bytesDone, bytesTotal });
        },
      });
      events.emit('library.changed', { kind: 'asset', projectId });
      return result;
    },
    'media.listAssets': ({ projectId }) => {
      library.projects.get(projectId);
      return library.assets.listByProject(projectId);
    },
    'media.peaks': async ({ assetId, maxPeaks, startSec, endSec }, ctx) => {
      const peaks = await library.peaksOf(assetId, ctx.signal);
      return { ...peaksWindow(peaks, maxPeaks, startSec ?? 0, endSec ?? peaks.durationSec), durationSec: peaks.durationSec };
    },
    'media.removeAsset': async ({ assetId }) => {
      const asset = await library.removeAsset(assetId);
      events.emit('library.changed', { kind: 'asset', projectId: asset.projectId });
      return { removed: true as const };
    },
  };
}
