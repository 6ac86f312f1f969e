/** Typed result of probing a media file. Dimensions are as displayed, after rotation. */
export type MediaKind = 'image' | 'audio' | 'video';

export interface VideoStreamInfo {
  codec: string;
  /** Display size: width/height swapped when the rotation is 90 or 270 degrees. */
  width: number;
  height: number;
  codedWidth: number;
  codedHeight: number;
  /** Clockwise rotation in degrees, normalised to 0, 90, 180 or 270. */
  rotation: number;
  rFrameRate: string;
  avgFrameRate: string;
  /** Best estimate of the frame rate in frames per second, or null for stills. */
  fps: number | null;
  /** True when the average and nominal frame rates disagree (variable frame rate). */
  isVfr: boolean;
  pixFmt: string | null;
  bitDepth: number | null;
  hasAlpha: boolean;
  frameCount: number | null;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout: string | null;
  durationSec: number | null;
}

export interface MediaInfo {
  kind: MediaKind;
  /** Short container name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" -> "mp4", "png_pipe" -> "png". */
  container: string;
  formatName: string;
  durationSec: number | null;
  sizeBytes: number | null;
  bitRate: number | null;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
}
