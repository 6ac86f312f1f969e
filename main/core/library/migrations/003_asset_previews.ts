import type { Migration } from './types';

/**
 * Previews made at import: a poster for videos, a filmstrip for video timelines, waveform peaks
 * for sound, and a browser-playable copy when the original is not (AVI, AC3, ProRes...).
 */
export const assetPreviews: Migration = {
  version: 3,
  name: 'asset poster, filmstrip and waveform peaks',
  up: `
    ALTER TABLE assets ADD COLUMN poster TEXT;
    ALTER TABLE assets ADD COLUMN filmstrip_json TEXT;
    ALTER TABLE assets ADD COLUMN peaks TEXT;
    ALTER TABLE assets ADD COLUMN playback TEXT;
  `,
};
