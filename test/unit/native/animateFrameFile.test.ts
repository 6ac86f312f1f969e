import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameFile } from '../../../native/animate/frameFile';
import { makeTempDir } from '../../helpers/generatedMedia';

const size = { width: 4, height: 2, channels: 3 };
const fb = 4 * 2 * 3;

describe('a preprocessed sequence file', () => {
  it('reads the frames asked for, in the order asked, by seeking', async () => {
    const file = join(makeTempDir('animate-frames'), 'pose.rgb');
    writeFileSync(file, Buffer.concat(Array.from({ length: 5 }, (_, i) => Buffer.alloc(fb, i * 10))));
    const f = await FrameFile.open(file, 'The pose frames', size, 5);
    try {
      const out = await f.read([4, 3, 0, 3]);
      expect(out.length).toBe(4 * fb);
      expect([0, 1, 2, 3].map((i) => out[i * fb])).toEqual([40, 30, 0, 30]);
      await expect(f.read([5])).rejects.toThrow(/outside 0..4/);
    } finally {
      await f.close();
    }
  });

  it('a file shorter than realLen frames is named, with its frame count and what to do', async () => {
    const file = join(makeTempDir('animate-frames'), 'face.rgb');
    writeFileSync(file, Buffer.alloc(3 * fb));
    await expect(FrameFile.open(file, 'The face crops', size, 5)).rejects.toThrow(/The face crops \(.*face\.rgb\) hold 3 frames of 4x2 RGB, but the render needs 5\. .*start the render again/);
  });

  it('a missing file is named', async () => {
    const file = join(makeTempDir('animate-frames'), 'mask.gray');
    await expect(FrameFile.open(file, 'The person mask frames', { ...size, channels: 1 }, 5)).rejects.toThrow(/The person mask frames \(.*mask\.gray\) cannot be read/);
  });
});
