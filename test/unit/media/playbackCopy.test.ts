import { describe, expect, it } from 'vitest';
import type { MediaInfo } from '../../../main/core/media/mediaInfo';
import { playsInBrowser } from '../../../main/core/media/playbackCopy';

const video = (container: string, codec: string, audio: string | null, bitDepth = 8): MediaInfo => ({
  kind: 'video',
  container,
  formatName: container,
  durationSec: 10,
  sizeBytes: 1,
  bitRate: null,
  video: { codec, width: 640, height: 480, codedWidth: 640, codedHeight: 480, rotation: 0, rFrameRate: '25/1', avgFrameRate: '25/1', fps: 25, isVfr: false, pixFmt: 'yuv420p', bitDepth, hasAlpha: false, frameCount: 250 },
  audio: audio ? { codec: audio, sampleRate: 48000, channels: 2, channelLayout: 'stereo', durationSec: 10 } : null,
});

describe('which originals the page can play', () => {
  it.each([
    [video('mp4', 'h264', 'aac'), true],
    [video('webm', 'vp9', 'opus'), true],
    [video('avi', 'mpeg4', 'ac3'), false],
    [video('mp4', 'h264', 'ac3'), false],
    [video('mov', 'prores', 'pcm_s16le'), false],
    [video('mp4', 'hevc', 'aac'), false],
    [video('mp4', 'h264', null, 10), false],
  ] as const)('%# %j', (info, playable) => {
    expect(playsInBrowser(info)).toBe(playable);
  });
  it('treats plain WAV/MP3/FLAC as playable', () => {
    const wav: MediaInfo = { ...video('wav', 'x', 'pcm_s16le'), kind: 'audio', video: null };
    expect(playsInBrowser(wav)).toBe(true);
    expect(playsInBrowser({ ...wav, container: 'ac3', audio: { ...(wav.audio as NonNullable<MediaInfo['audio']>), codec: 'ac3' } })).toBe(false);
  });
});
