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

/* eslint-disable no-control-regex -- these patterns exist to find control characters */
/** ANSI/VT escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), and two-byte ESC forms. */
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
/** C0 and C1 controls, DEL, and the bidirectional overrides that make text read differently than it is. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_CHARS_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * A file name as the library keeps it: escape sequences removed, control characters dropped,
 * spaces collapsed. A name that was nothing but those becomes "untitled" (the extension, if any, stays).
 */
export function cleanDisplayName(raw: string): string {
  const cleaned = raw.replace(ANSI_SEQUENCE, '').replace(/[\t\n\v\f\r]+/g, ' ').replace(CONTROL_CHARS, '').replace(/\s+/g, ' ').trim();
  if (cleaned === '' || /^\.[A-Za-z0-9]{1,5}$/.test(cleaned)) return `untitled${cleaned}`;
  return cleaned;
}

/** Text safe to print to a terminal: escape sequences and control characters become "?"; newlines and tabs stay. */
export const terminalSafe = (text: string): string => text.replace(ANSI_SEQUENCE, '?').replace(CONTROL_CHARS_BUT_LAYOUT, '?');

/** Lower-case words joined by "-", for file names: "Talking Head — take 2" -> "talking-head-take-2". */
export const slugify = (text: string, maxWords = 6): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, maxWords)
    .join('-')
    .slice(0, 60);

/** A readable name for a downloaded render: project-prompt-seed.ext ("megamind-blue-character-talking-1234.mp4"). */
export function downloadName(project: string, prompt: string, seed: number | null, ext: string): string {
  const parts = [slugify(project, 4), slugify(prompt, 5), seed === null ? '' : String(seed)].filter(Boolean);
  return `${parts.join('-') || 'render'}.${ext}`;
}
