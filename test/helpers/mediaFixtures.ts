import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Real media made with ffmpeg for the media-engine tests, generated once per process into a
 * temp folder. Names say what each file is.
 */
const dir = join(tmpdir(), `wan-media-fixtures-${process.pid}`);
mkdirSync(dir, { recursive: true });

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function blackPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const rowBytes = 1 + Math.ceil(width / 8);
  const idat = deflateSync(Buffer.alloc(rowBytes * height), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

function make(name: string, build: (path: string) => void): string {
  const path = join(dir, name);
  if (!existsSync(path)) build(path);
  return path;
}

export const fixtures = {
  dir,
  /** 2 s 320x240 25 fps H.264 + 440 Hz AAC stereo 44.1 kHz. */
  videoWithAudio: () =>
    make('video-with-audio.mp4', (p) =>
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=2', '-f', 'lavfi', '-i', 'sine=f=440:d=2:sample_rate=44100', '-ac', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-shortest', p]),
    ),
  /** 4 s, 30 fps, with a keyframe only every 2 s (seeks must decode forward to be exact). */
  longGop: () => make('long-gop.mp4', (p) => ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=4', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '60', p])),
  /** A phone-style clip: coded 320x240 with a 90° display rotation. */
  rotated: () =>
    make('rotated.mp4', (p) => {
      const plain = join(dir, 'rotated-src.mp4');
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', plain]);
      ffmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', p]);
    }),
  /** Variable frame rate: 30 fps for 1 s, then 15 fps. */
  vfr: () =>
    make('vfr.mp4', (p) =>
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=3', '-vf', "setpts='if(lt(N,30),N/30/TB,(30+(N-30)*2)/30/TB)'", '-vsync', 'vfr', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', p]),
    ),
  /** Odd sides. */
  oddSize: () => make('odd-1081x721.mkv', (p) => ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=24:d=1', '-vf', 'scale=1081:721,format=yuv444p', '-c:v', 'ffv1', p])),
  /** PNG with an alpha channel. */
  alphaPng: () => make('alpha.png', (p) => ffmpeg(['-f', 'lavfi', '-i', 'color=c=red@0.5:s=64x48,format=rgba', '-frames:v', '1', p])),
  jpeg: () => make('photo.jpg', (p) => ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=640x360', '-frames:v', '1', p])),
  webp: () => make('still.webp', (p) => ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=200x100', '-frames:v', '1', '-c:v', 'libwebp', p])),
  /** 10-bit HEVC. */
  hevc10: () => make('hevc-10bit.mp4', (p) => ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=1', '-c:v', 'libx265', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error', p])),
  /** 8-channel 48 kHz WAV, 1.5 s. */
  eightChannel: () => make('8ch.wav', (p) => ffmpeg(['-f', 'lavfi', '-i', 'sine=f=300:d=1.5:sample_rate=48000', '-af', 'pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0', p])),
  /** Mono 44.1 kHz speech-like tone, given seconds long. */
  tone: (seconds = 3, rate = 44100) => make(`tone-${seconds}s-${rate}.wav`, (p) => ffmpeg(['-f', 'lavfi', '-i', `sine=f=220:d=${seconds}:sample_rate=${rate}`, '-af', 'volume=0.5', p])),
  /** Silence, 2 s. */
  silence: () => make('silence.wav', (p) => ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '2', p])),
  /** An audio-only MP4: "a video with no video stream". */
  audioOnlyMp4: () => make('audio-only.mp4', (p) => ffmpeg(['-f', 'lavfi', '-i', 'sine=f=500:d=1', '-c:a', 'aac', p])),
  /** A real mp4 cut off after 40% of its bytes. */
  truncatedMp4: () =>
    make('truncated.mp4', (p) => {
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', p]);
      truncateSync(p, Math.floor(statSync(p).size * 0.4));
    }),
  /** A canonical 44-byte WAV header (16 kHz mono 16-bit) with a data chunk of zero samples. */
  zeroLengthWav: () =>
    make('zero-length.wav', (p) => {
      const h = Buffer.alloc(44);
      h.write('RIFF', 0, 'ascii');
      h.writeUInt32LE(36, 4);
      h.write('WAVEfmt ', 8, 'ascii');
      h.writeUInt32LE(16, 16);
      h.writeUInt16LE(1, 20);
      h.writeUInt16LE(1, 22);
      h.writeUInt32LE(16000, 24);
      h.writeUInt32LE(32000, 28);
      h.writeUInt16LE(2, 32);
      h.writeUInt16LE(16, 34);
      h.write('data', 36, 'ascii');
      h.writeUInt32LE(0, 40);
      writeFileSync(p, h);
    }),
  textAsMp4: () => make('not-a-video.mp4', (p) => writeFileSync(p, 'Shopping list: eggs, milk.\n'.repeat(20))),
  /** A valid 16000x16000 PNG, written directly (1-bit grey, all black: about 30 KB; ffmpeg would take seconds). */
  hugeImage: () => make('huge-16000.png', (p) => writeFileSync(p, blackPng(16000, 16000))),
};
