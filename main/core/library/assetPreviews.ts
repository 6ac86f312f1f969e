import { stat } from 'node:fs/promises';
import { StudioError } from '../contract/errors';
import type { ToolPreferences } from '../media/ffmpegBinaries';
import { filmstripGeometry, makeFilmstrip, makePoster } from '../media/filmstrip';
import type { MediaInfo } from '../media/mediaInfo';
import { computePeaks, writePeaksFile } from '../media/peaks';
import { makePlaybackCopy, playsInBrowser } from '../media/playbackCopy';
import type { AssetPreviews } from './assetRepository';
import { errorCode } from './fsErrors';
import type { MediaStore } from './mediaStore';

const exists = (p: string) => stat(p).then(() => true, () => false);

export interface PreviewRequest {
  source: string;
  info: MediaInfo;
  sha256: string;
  displayName: string;
  store: MediaStore;
  tools: ToolPreferences;
  signal?: AbortSignal;
}

/**
 * Poster and filmstrip for videos, waveform peaks for anything with sound, a playable copy when
 * the page cannot play the original. Content that is already
 * in the library keeps its previews. One preview failing (a file that probes but will not decode)
 * only leaves that preview out; cancel and a full disk stop the import.
 */
export async function makePreviews(req: PreviewRequest): Promise<{ previews: AssetPreviews; created: string[] }> {
  const previews: AssetPreviews = { poster: null, filmstrip: null, peaks: null, playback: null };
  const created: string[] = [];
  const common = { tools: req.tools, signal: req.signal, displayName: req.displayName };
  const attempt = async (make: () => Promise<void>): Promise<boolean> => {
    try {
      await make();
      return true;
    } catch (e) {
      if (e instanceof StudioError && (e.code === 'cancelled' || e.code === 'disk_full')) throw e;
      if (errorCode(e) === 'ENOSPC') throw e;
      return false;
    }
  };

  if (req.info.kind === 'video') {
    const poster = req.store.cacheFor(req.sha256, '.poster.jpg');
    if ((await exists(poster.full)) || (await attempt(() => makePoster(req.source, req.info, poster.full, common)).then((ok) => ok && !!created.push(poster.rel)))) {
      previews.poster = poster.rel;
    }
    const strip = req.store.cacheFor(req.sha256, '.filmstrip.jpg');
    if ((await exists(strip.full)) || (await attempt(() => makeFilmstrip(req.source, req.info, strip.full, common).then(() => undefined)).then((ok) => ok && !!created.push(strip.rel)))) {
      previews.filmstrip = { file: strip.rel, ...filmstripGeometry(req.info) };
    }
  }
  if (req.info.audio) {
    const peaks = req.store.cacheFor(req.sha256, '.peaks');
    const make = async () => writePeaksFile(peaks.full, await computePeaks(req.source, req.info, common));
    if ((await exists(peaks.full)) || (await attempt(make).then((ok) => ok && !!created.push(peaks.rel)))) previews.peaks = peaks.rel;
  }
  if (!playsInBrowser(req.info)) {
    const copy = req.store.cacheFor(req.sha256, '.playback.mp4');
    if ((await exists(copy.full)) || (await attempt(() => makePlaybackCopy(req.source, req.info, copy.full, common)).then((ok) => ok && !!created.push(copy.rel)))) {
      previews.playback = copy.rel;
    }
  }
  return { previews, created };
}
