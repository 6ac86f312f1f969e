/** How contract values are shown to people, shared by the page and the command line. */
import type { Asset, AssetMedia } from './types';

export const formatBytes = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};

export const formatDuration = (sec: number | null): string => {
  if (sec === null) return '';
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
};

export const formatFps = (fps: number): string => `${Number(fps.toFixed(3))} fps`;

export const formatChannels = (n: number | null): string =>
  n === 1 ? 'mono' : n === 2 ? 'stereo' : n === null ? '? channels' : `${n} channels`;

/** Labelled facts about a media file, in the order the project page and the CLI show them. */
export function mediaFacts(kind: Asset['kind'], m: AssetMedia): Array<[label: string, value: string]> {
  const facts: Array<[string, string]> = [['Format', m.container]];
  if (m.durationSec !== null) facts.push(['Duration', formatDuration(m.durationSec)]);
  if (m.width && m.height) facts.push(['Size', `${m.width}×${m.height}`]);
  if (m.fps) facts.push(['Frame rate', formatFps(m.fps)]);
  if (m.videoCodec && kind !== 'image') facts.push(['Video', m.videoCodec]);
  if (m.audioCodec) facts.push(['Audio', `${m.audioCodec}, ${m.sampleRate ?? '?'} Hz, ${formatChannels(m.channels)}`]);
  if (m.rotation) facts.push(['Rotation', `${m.rotation}°`]);
  if (m.hasAlpha) facts.push(['Alpha', 'yes']);
  return facts;
}

/** One line describing an asset, for the command line. */
export function describeAsset(a: Asset): string {
  return [a.kind, ...mediaFacts(a.kind, a.media).map(([, v]) => v), formatBytes(a.sizeBytes)].join(', ');
}
