import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageSizeFromHeader, readImageHeaderSize } from '../../../main/core/media/imageHeader';
import { makeTempDir } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';

const dir = makeTempDir('image-header');
const encode = (name: string, size: string, args: string[] = []): string => {
  const out = join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}:d=1`, '-frames:v', '1', ...args, out]);
  return out;
};

describe('image size from the header, without decoding', () => {
  it.each([
    ['a.png', '322x124', [], 'png'],
    ['a.jpg', '640x360', [], 'jpeg'],
    ['p.jpg', '200x500', ['-c:v', 'mjpeg', '-q:v', '3'], 'jpeg'],
    ['lossy.webp', '334x112', ['-c:v', 'libwebp', '-lossless', '0'], 'webp'],
    ['lossless.webp', '334x112', ['-c:v', 'libwebp', '-lossless', '1'], 'webp'],
    ['a.gif', '90x46', [], 'gif'],
    ['a.bmp', '78x34', [], 'bmp'],
  ] as const)('%s (%s)', async (name, size, args, format) => {
    const [w, h] = size.split('x').map(Number);
    expect(await readImageHeaderSize(encode(name, size, [...args]))).toEqual({ format, width: w, height: h });
  });

  it('reads the 16000×16000 fixture and gives null for what is not an image header', async () => {
    expect(await readImageHeaderSize(fixtures.hugeImage())).toEqual({ format: 'png', width: 16000, height: 16000 });
    const text = join(dir, 'notes.png');
    writeFileSync(text, 'not an image at all');
    expect(await readImageHeaderSize(text)).toBeNull();
    expect(imageSizeFromHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
    expect(imageSizeFromHeader(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
    expect(imageSizeFromHeader(Buffer.alloc(0))).toBeNull();
  });
});
